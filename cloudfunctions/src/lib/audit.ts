// The operators' audit trail: who changed what, when.
import type { AuditEntry } from '../domain/org';
import { ActionContext } from './handler';

/** An ops_log entry (written by audit(), or inside a transaction with the change it records). */
export const auditEntry = (
  by: string,
  what: string,
  ref: string,
  detail: unknown,
  at: number,
): Omit<AuditEntry, '_id'> => ({ by, what, ref, detail: JSON.parse(JSON.stringify(detail ?? null)), at });

/** Records an operator action in ops_log. */
export async function audit(ctx: ActionContext<unknown>, what: string, ref: string, detail: unknown): Promise<void> {
  await ctx.db.collection('ops_log').add({ data: auditEntry(ctx.caller.openid, what, ref, detail, ctx.now) });
}
