// The thin handler shell shared by every function: validate the event, read the caller from
// getWXContext(), check the role on the server, run the action, answer in one envelope.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import * as cloud from 'wx-server-sdk';
import { AppError, Envelope, fail, ok } from './errors';
import { assertSafeKeys, validate } from './validate';

/** Roles an action may require. A consumer is anyone with an OPENID. */
export type Role = 'consumer' | 'guide' | 'operator' | 'system';

/** Who is calling, resolved on the server. */
export interface Caller {
  openid: string;
  unionid: string;
  source: string;
  staff: StaffCaller | null;
}

/** A calling staff member: a guide always has a store (a guide record without one acts as nobody). */
export type StaffCaller =
  | { role: 'guide'; storeId: string; name: string }
  | { role: 'operator'; storeId: string | null; name: string };

/** The calling guide (for guide actions, after the role check): FORBIDDEN for anyone else. */
export function guideOf(caller: Caller): Extract<StaffCaller, { role: 'guide' }> {
  const s = caller.staff;
  if (!s || s.role !== 'guide') throw new AppError('FORBIDDEN');
  return s;
}

/** What an action receives. */
export interface ActionContext<I> {
  input: I;
  caller: Caller;
  db: cloud.Database;
  now: number;
  event: Record<string, unknown>;
}

/** The validated input a JSON schema describes. */
export type InputOf<S> = S extends JSONSchema ? FromSchema<S> : never;

/** One action of a function: who may call it, its input schema, and its body. */
// `any` by default: the registry holds actions of every input type (each action is typed where it is declared).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Action<I = any, O = unknown> {
  roles: Role[];
  schema?: object;
  run(ctx: ActionContext<I>): Promise<O>;
}

/** Each action's validated input and its result, by action name: the contract a client calls. */
// A client may leave out what the schema defaults, so its input is read with defaulted properties optional.
export type ApiOf<T extends Record<string, Action>> = {
  [K in keyof T]: T[K] extends Action<infer I, infer O>
    ? { input: T[K] extends { schema: infer S } ? ClientInputOf<S> : I; output: O }
    : never;
};

/** What a client sends for a schema: its input with the properties the schema defaults left optional. */
export type ClientInputOf<S> = S extends JSONSchema ? FromSchema<S, { keepDefaultedPropertiesOptional: true }> : never;

/**
 * Declares an action. Its input type is derived from its JSON schema (json-schema-to-ts `FromSchema`; ajv fills
 * defaults and drops unknown fields, so the validated input is exactly that type). Without a schema the input is
 * the raw payload, checked only for unsafe keys.
 */
export function action<const S extends object, O>(a: {
  roles: Role[];
  schema: S;
  run(ctx: ActionContext<InputOf<S>>): Promise<O>;
}): Action<InputOf<S>, O> & { schema: S };
export function action<O>(a: {
  roles: Role[];
  run(ctx: ActionContext<Record<string, unknown>>): Promise<O>;
}): Action<Record<string, unknown>, O>;
export function action(a: Action): Action {
  return a;
}

/** The caller's active staff record (guide or operator), or null. */
export async function loadStaff(db: cloud.Database, openid: string): Promise<Caller['staff']> {
  const { data } = await db.collection('staff').where({ openid, active: true }).limit(1).get();
  const s = data[0];
  if (!s) return null;
  if (s.role === 'operator') return { role: 'operator', storeId: s.storeId ?? null, name: s.name };
  // A guide works for one store: a record without one (a misconfiguration) sees no store's customers.
  return s.storeId ? { role: 'guide', storeId: s.storeId, name: s.name } : null;
}

function allowed(roles: Role[], caller: Caller): boolean {
  if (roles.includes('system') && caller.source.startsWith('wx_trigger')) return true;
  if (!caller.openid) return false;
  if (roles.includes('consumer')) return true;
  return Boolean(caller.staff && roles.includes(caller.staff.role));
}

/** Builds `exports.main` for a function made of named actions (`event.action`). */
export function createMain(
  actions: Record<string, Action>,
  opts: { onTimer?: (ctx: ActionContext<unknown>) => Promise<unknown> } = {},
) {
  return async function main(event: unknown): Promise<Envelope<unknown>> {
    try {
      const wx = cloud.getWXContext();
      const db = cloud.database();
      const ev = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
      const caller: Caller = {
        openid: wx.OPENID ?? '',
        unionid: wx.UNIONID ?? '',
        source: wx.SOURCE ?? '',
        staff: null,
      };
      const now = Date.now();
      if (ev.Type === 'Timer' && caller.source.startsWith('wx_trigger') && opts.onTimer) {
        return ok(await opts.onTimer({ input: ev, caller, db, now, event: ev }));
      }
      const name = ev.action;
      const known = typeof name === 'string' && Object.prototype.hasOwnProperty.call(actions, name);
      const act = known ? actions[name] : undefined;
      if (!act) {
        throw new AppError(
          'UNKNOWN_ACTION',
          typeof name === 'string' ? `不支持的操作：${name.slice(0, 40)}` : '缺少 action 参数',
        );
      }
      if (!caller.openid && !(act.roles.includes('system') && caller.source.startsWith('wx_trigger')))
        throw new AppError('UNAUTHENTICATED');
      if (act.roles.some((r) => r === 'guide' || r === 'operator') && !act.roles.includes('consumer')) {
        caller.staff = await loadStaff(db, caller.openid);
      }
      if (!allowed(act.roles, caller)) throw new AppError('FORBIDDEN');
      // userInfo is attached by the WeChat client SDK; identity never comes from the payload, so
      // a consumer action ignores any member or openid it carries.
      const { action: _omit, userInfo: _ui, ...payload } = ev;
      if (act.roles.length === 1 && act.roles[0] === 'consumer') {
        delete payload.memberId;
        delete payload.openid;
      }
      // Every payload's keys are checked, with or without a schema (validate() checks them too).
      if (!act.schema) assertSafeKeys(payload);
      const input = act.schema ? validate(act.schema as never, payload) : payload;
      return ok(await act.run({ input, caller, db, now, event: ev }));
    } catch (e) {
      if (e instanceof AppError) return fail(e.code, e.message, e.details);
      // Unexpected: log for the console, never leak a stack to the client.
      console.error('[handler] unexpected error', e);
      return fail('INTERNAL');
    }
  };
}
