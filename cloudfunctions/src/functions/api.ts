// The contract between the client and the cloud: for each function, each action's input (derived from its JSON
// schema) and its result (inferred from its body). Type-only: the client imports it with `import type`, so no
// cloud code reaches a client bundle.
import type { Api as CampaignApi } from './campaign';
import type { Api as CrmApi } from './crm';
import type { Api as GuideApi } from './guide';
import type { Api as MemberApi } from './member';
import type { Api as OpsApi } from './ops';
import type { Api as ShopApi } from './shop';

/** Every callable function and its actions. */
export interface CloudApi {
  campaign: CampaignApi;
  crm: CrmApi;
  guide: GuideApi;
  member: MemberApi;
  ops: OpsApi;
  shop: ShopApi;
}

/** A function's action names. */
export type ActionName<F extends keyof CloudApi> = keyof CloudApi[F] & string;
/** What an action takes (before the server fills defaults, so fields with defaults may be left out). */
export type ActionInput<F extends keyof CloudApi, A extends ActionName<F>> = CloudApi[F][A] extends { input: infer I }
  ? I
  : never;
/** What an action answers inside a successful envelope. */
export type ActionOutput<F extends keyof CloudApi, A extends ActionName<F>> = CloudApi[F][A] extends {
  output: infer O;
}
  ? O
  : never;
