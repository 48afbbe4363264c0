// The operators' audit trail: who changed what, when.
import { ActionContext } from './handler';

/** Records an operator action in ops_log. */
export async function audit(ctx: ActionContext<unknown>, what: string, ref: string, detail: unknown): Promise<void> {
  await ctx.db.collection('ops_log').add({ data: { by: ctx.caller.openid, what, ref, detail: JSON.parse(JSON.stringify(detail ?? null)), at: ctx.now } });
}
