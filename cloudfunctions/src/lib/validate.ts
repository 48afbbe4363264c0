// Input validation with JSON Schema (ajv): collects every problem, then fails once.
import Ajv, { JSONSchemaType, ValidateFunction } from 'ajv';
import { AppError } from './errors';

// Unknown fields are dropped, not trusted: a tampered `price` in the payload simply never reaches the action.
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true, removeAdditional: true });
const cache = new WeakMap<object, ValidateFunction>();

/** A schema for an action's input. */
export type Schema<T> = JSONSchemaType<T> | Record<string, unknown>;

/** Returns `input` typed as T, or throws INVALID_ARGUMENT listing every problem. */
export function validate<T>(schema: Schema<T>, input: unknown): T {
  let fn = cache.get(schema as object);
  if (!fn) { fn = ajv.compile(schema as object); cache.set(schema as object, fn); }
  if (fn(input)) return input as T;
  const details = (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
  throw new AppError('INVALID_ARGUMENT', '参数有误：' + details.join('；'), details);
}
