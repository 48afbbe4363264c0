// The database wire format: @cloudbase/database sends queries, documents and updates as canonical
// MongoDB Extended JSON strings (src/utils/utils.ts `stringifyByEJSON`, bson's EJSON, relaxed: false) with
// `{ $tcb_server_date: { offset } }` for db.serverDate() (src/serializer/datatype.ts), and parses the
// documents it gets back with `EJSON.parse` (src/query.ts `get`).
import { BSONRegExp, EJSON } from 'bson';

/** A value the server cannot accept (answered as INVALID_PARAM). */
export class WireError extends Error {}

// Replaces wire-only markers by the values the engine stores: RegExp for BSONRegExp, the write time for serverDate.
function materialize(v: unknown, now: number): unknown {
  if (v instanceof BSONRegExp) return new RegExp(v.pattern, v.options.replace(/[^gimsuy]/g, ''));
  if (Array.isArray(v)) return v.map((x) => materialize(x, now));
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$tcb_server_date') {
      const offset = Number((o.$tcb_server_date as { offset?: unknown } | null)?.offset ?? 0);
      return new Date(now + (Number.isFinite(offset) ? offset : 0));
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = materialize(o[k], now);
    return out;
  }
  return v;
}

/** Parses one EJSON string from the SDK; `now` is the server time that serverDate markers become. */
export function decode(text: unknown, now: number): unknown {
  if (typeof text !== 'string') throw new WireError('expected an EJSON string');
  let parsed: unknown;
  try {
    parsed = EJSON.parse(text, { relaxed: true });
  } catch (e) {
    throw new WireError(`invalid EJSON: ${(e as Error).message}`);
  }
  return materialize(parsed, now);
}

/** Parses an EJSON string that must hold an object. */
export function decodeObject(text: unknown, now: number): Record<string, unknown> {
  const v = decode(text, now);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new WireError('expected an EJSON object');
  return v as Record<string, unknown>;
}

/** Serializes a stored document as the SDK expects each list item. */
export function encode(doc: unknown): string {
  return EJSON.stringify(doc as never, { relaxed: false });
}
