// Input validation with JSON Schema (ajv): collects every problem, then fails once.
import Ajv, { JSONSchemaType, ValidateFunction } from 'ajv';
import { isDay, isMonth } from '../domain/time';
import { isSafeKey, unsafeKeyPaths } from '../domain/safe-keys';
import { AppError } from './errors';

// Unknown fields are dropped, not trusted: a tampered `price` in the payload simply never reaches the action.
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true, removeAdditional: true });
// Real calendar dates only: a pattern alone lets '2026-13-45' through to the time module, which throws.
ajv.addFormat('day', { type: 'string', validate: (s: string) => isDay(s) });
ajv.addFormat('month', { type: 'string', validate: (s: string) => isMonth(s) });
// `format: 'safe-key'`: a string value the action will use as an object key or field path (domain/safe-keys.ts).
ajv.addFormat('safe-key', { type: 'string', validate: (s: string) => isSafeKey(s) });
const cache = new WeakMap<object, ValidateFunction>();

/** A schema for an action's input. */
export type Schema<T> = JSONSchemaType<T> | Record<string, unknown>;

/** Throws INVALID_ARGUMENT when any key anywhere in `input` is unsafe (`.`, `$`, `__proto__`, `constructor`…). */
export function assertSafeKeys(input: unknown): void {
  const bad = unsafeKeyPaths(input);
  if (!bad.length) return;
  const details = bad.slice(0, 10).map((p) => `${p} 不允许的键名`);
  throw new AppError('INVALID_ARGUMENT', '参数有误：' + details.join('；'), details);
}

/** Returns `input` typed as T, or throws INVALID_ARGUMENT listing every problem. */
export function validate<T>(schema: Schema<T>, input: unknown): T {
  // Keys are checked before ajv drops unknown fields: a forbidden key is refused, never silently removed.
  assertSafeKeys(input);
  let fn = cache.get(schema as object);
  if (!fn) {
    fn = ajv.compile(schema as object);
    cache.set(schema as object, fn);
  }
  if (fn(input)) return input as T;
  const details = (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
  throw new AppError('INVALID_ARGUMENT', '参数有误：' + details.join('；'), details);
}
