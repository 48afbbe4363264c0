// db.command of the CloudBase SDK, translated to MongoDB operators that mingo evaluates.

const QUERY_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'exists', 'mod', 'all', 'elemMatch', 'size'] as const;
const UPDATE_OPS = ['set', 'remove', 'inc', 'mul', 'min', 'max', 'rename', 'push', 'pop', 'shift', 'unshift', 'addToSet', 'pull', 'pullAll'] as const;

/** A query or update command built by `db.command`, e.g. `_.gte(1)` or `_.inc(-1)`. */
export class Command {
  constructor(readonly kind: 'query' | 'logic' | 'update', readonly op: string, readonly args: unknown[]) {}
  and(...args: unknown[]): Command { return new Command('logic', 'and', [this, ...flat(args)]); }
  or(...args: unknown[]): Command { return new Command('logic', 'or', [this, ...flat(args)]); }
}

/** Marker for `db.serverDate()`, replaced by the write time when stored. */
export class ServerDate {
  constructor(readonly offset = 0) {}
}

/** A regular expression built by `db.RegExp`. */
export class DbRegExp {
  constructor(readonly regexp: string, readonly options = '') {}
}

function flat(args: unknown[]): unknown[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
}

/** The `db.command` object: query/update/logic builders plus `aggregate` expressions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandBuilder = Record<string, (...a: any[]) => any> & { aggregate: Record<string, (...a: any[]) => any> };

/** Builds the `db.command` object. */
export function createCommand(): CommandBuilder {
  const _ = {} as CommandBuilder;
  for (const op of QUERY_OPS) _[op] = (...a: unknown[]) => new Command('query', op, a);
  for (const op of UPDATE_OPS) _[op] = (...a: unknown[]) => new Command('update', op, a);
  _.and = (...a: unknown[]) => new Command('logic', 'and', flat(a));
  _.or = (...a: unknown[]) => new Command('logic', 'or', flat(a));
  _.nor = (...a: unknown[]) => new Command('logic', 'nor', flat(a));
  _.not = (a: unknown) => new Command('logic', 'not', [a]);
  // `$.sum('$x')` → `{ $sum: '$x' }`: aggregation expressions map one to one.
  _.aggregate = new Proxy({} as CommandBuilder['aggregate'], { get: (_t, name: string) => (...a: unknown[]) => ({ ['$' + name]: a.length === 1 ? a[0] : a }) });
  return _;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Command)
    && !(v instanceof ServerDate) && !(v instanceof DbRegExp) && !(v instanceof RegExp);
}

function literal(v: unknown, now: number): unknown {
  if (v instanceof ServerDate) return new Date(now + v.offset);
  if (v instanceof DbRegExp) return new RegExp(v.regexp, v.options);
  if (Array.isArray(v)) return v.map((x) => literal(x, now));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literal(x, now)]));
  return v;
}

// One field's command → the operator document for that field.
function fieldCondition(c: Command, now: number): Record<string, unknown> {
  const a = c.args[0];
  switch (c.op) {
    case 'eq': return { $eq: literal(a, now) };
    case 'neq': return { $ne: literal(a, now) };
    case 'gt': case 'gte': case 'lt': case 'lte': case 'in': case 'nin': case 'all': case 'size':
      return { ['$' + c.op]: literal(a, now) };
    case 'exists': return { $exists: Boolean(a) };
    case 'mod': return { $mod: Array.isArray(a) ? a : [a, c.args[1]] };
    case 'elemMatch': return { $elemMatch: toQuery(a, now) };
    default: throw dbError(-502002, `unsupported query command ${c.op}`);
  }
}

// A command applied to `field`, possibly a logic chain like `_.gt(1).and(_.lt(5))`.
function commandOnField(field: string, c: Command, now: number): Record<string, unknown> {
  if (c.kind === 'query') return { [field]: fieldCondition(c, now) };
  if (c.kind === 'logic') {
    if (c.op === 'not') return { [field]: { $not: fieldCondition(c.args[0] as Command, now) } };
    const parts = c.args.map((x) => (x instanceof Command ? commandOnField(field, x, now) : { [field]: literal(x, now) }));
    return { ['$' + c.op]: parts };
  }
  throw dbError(-502002, `update command ${c.op} used in a query`);
}

/** Translates a CloudBase `where()` argument into a MongoDB query; nested objects match by path. */
export function toQuery(where: unknown, now = Date.now(), prefix = ''): Record<string, unknown> {
  if (where instanceof Command) {
    if (where.kind !== 'logic' || where.op === 'not') throw dbError(-502002, 'top-level command must be and/or/nor');
    return { ['$' + where.op]: where.args.map((x) => toQuery(x, now)) };
  }
  if (!isPlainObject(where)) throw dbError(-502002, 'where() takes an object');
  const out: Record<string, unknown>[] = [];
  for (const [k, v] of Object.entries(where)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v === undefined) continue;
    if (v instanceof Command) out.push(commandOnField(path, v, now));
    else if (isPlainObject(v)) out.push(toQuery(v, now, path));
    else out.push({ [path]: literal(v, now) });
  }
  if (out.length === 0) return {};
  if (out.length === 1) return out[0];
  return { $and: out };
}

/** Translates update `data` into MongoDB update operators; plain nested objects update by path. */
export function toUpdate(data: unknown, now = Date.now()): Record<string, Record<string, unknown>> {
  if (!isPlainObject(data)) throw dbError(-502002, 'update data must be an object');
  const ops: Record<string, Record<string, unknown>> = {};
  const put = (op: string, path: string, v: unknown) => { (ops[op] ??= {})[path] = v; };
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (path === '_id') throw dbError(-502002, 'cannot update _id');
      if (v === undefined) continue;
      if (v instanceof Command) {
        if (v.kind !== 'update') throw dbError(-502002, `query command ${v.op} used in an update`);
        updateCommand(path, v, now, put);
      } else if (isPlainObject(v) && Object.keys(v).length > 0) walk(v, path);
      else put('$set', path, literal(v, now));
    }
  };
  walk(data, '');
  return ops;
}

function updateCommand(path: string, c: Command, now: number, put: (op: string, path: string, v: unknown) => void): void {
  const a = literal(c.args[0], now);
  switch (c.op) {
    case 'set': return put('$set', path, a);
    case 'remove': return put('$unset', path, '');
    case 'inc': case 'mul': case 'min': case 'max': case 'rename':
      return put('$' + c.op, path, a);
    case 'pull': {
      // `_.pull(_.gt(2))` → `{ $gt: 2 }`; `_.pull({ k: _.gte(2) })` → a query on each element.
      const v = c.args[0];
      if (v instanceof Command) return put('$pull', path, pullCommand(v, now));
      return put('$pull', path, isPlainObject(v) ? toQuery(v, now) : a);
    }
    case 'pullAll': return put('$pullAll', path, a);
    case 'pop': return put('$pop', path, 1);
    case 'shift': return put('$pop', path, -1);
    case 'unshift': return put('$push', path, { $each: Array.isArray(a) ? a : c.args.map((x) => literal(x, now)), $position: 0 });
    case 'addToSet':
      return put('$addToSet', path, isPlainObject(a) && 'each' in a ? { $each: a.each } : a);
    case 'push': {
      if (isPlainObject(a) && 'each' in a) {
        const spec: Record<string, unknown> = { $each: a.each };
        for (const k of ['position', 'slice', 'sort'] as const) if (a[k] !== undefined) spec['$' + k] = a[k];
        return put('$push', path, spec);
      }
      return put('$push', path, { $each: Array.isArray(a) ? a : c.args.map((x) => literal(x, now)) });
    }
    default: throw dbError(-502002, `unsupported update command ${c.op}`);
  }
}

// `_.pull(<command>)`: a condition on each array element, e.g. `_.gt(2)` or `_.gt(1).and(_.lt(5))`.
function pullCommand(c: Command, now: number): Record<string, unknown> {
  if (c.kind === 'query') return fieldCondition(c, now);
  if (c.kind === 'logic' && c.op === 'and' && c.args.every((x) => x instanceof Command && x.kind === 'query')) {
    return Object.assign({}, ...c.args.map((x) => fieldCondition(x as Command, now)));
  }
  throw dbError(-502002, `unsupported condition ${c.op} in pull`);
}

/** Replaces serverDate markers etc. in a whole document being written. */
export function toDocument(data: unknown, now = Date.now()): Record<string, unknown> {
  if (!isPlainObject(data)) throw dbError(-502002, 'document data must be an object');
  const noCommands = (v: unknown): void => {
    if (v instanceof Command) throw dbError(-502002, 'commands are not allowed in set/add');
    if (Array.isArray(v)) v.forEach(noCommands);
    else if (isPlainObject(v)) Object.values(v).forEach(noCommands);
  };
  noCommands(data);
  return literal(data, now) as Record<string, unknown>;
}

/** An error shaped like the SDK's: `errCode` and `errMsg`. */
export interface DbError extends Error { errCode: number; errMsg: string }

/** Builds an SDK-shaped database error. */
export function dbError(errCode: number, errMsg: string): DbError {
  const e = new Error(errMsg) as DbError;
  e.errCode = errCode;
  e.errMsg = errMsg;
  return e;
}
