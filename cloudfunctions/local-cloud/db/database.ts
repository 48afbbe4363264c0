// The `cloud.database()` API of wx-server-sdk over the emulator engine. Every call awaits an
// async boundary before and after it touches data, so concurrent requests interleave the way
// they do against the real database: a read-then-write race can oversell here too.
import { Command, DbRegExp, ServerDate, createCommand, dbError, toDocument, toQuery, toUpdate } from './command';
import { Engine, FindOptions, newId } from './engine';
import { Change, Doc } from './storage';

const tick = () => new Promise<void>((r) => setImmediate(r));
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const AGGREGATE_DEFAULT_LIMIT = 20;

/** Raised inside a transaction when another one holds or changed a document. */
export const CONFLICT = 'DATABASE_TRANSACTION_CONFLICT';
const conflict = (detail: string) => Object.assign(dbError(-502001, `${CONFLICT}: ${detail}`), { code: CONFLICT });
/** True if `e` is a transaction conflict. */
export const isConflict = (e: unknown): boolean => (e as { code?: string })?.code === CONFLICT;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !name) throw dbError(-502002, 'collection name must be a non-empty string');
  return name;
}

/** A query chain: where/orderBy/skip/limit/field → get/count/update/remove/watch. */
export class DbQuery {
  constructor(
    protected readonly engine: Engine,
    readonly collectionName: string,
    protected readonly state: { where?: unknown; sort: [string, 1 | -1][]; skip?: number; limit?: number; field?: Record<string, unknown> } = { sort: [] },
  ) {}

  protected next(patch: Partial<DbQuery['state']>): DbQuery {
    return new DbQuery(this.engine, this.collectionName, { ...this.state, ...patch, sort: patch.sort ?? this.state.sort });
  }

  where(cond: unknown): DbQuery {
    if (cond === undefined || cond === null) throw dbError(-502002, 'where() needs a condition');
    return this.next({ where: cond });
  }
  orderBy(field: string, order: 'asc' | 'desc'): DbQuery {
    if (order !== 'asc' && order !== 'desc') throw dbError(-502002, 'orderBy order must be asc or desc');
    return this.next({ sort: [...this.state.sort, [field, order === 'asc' ? 1 : -1]] });
  }
  skip(n: number): DbQuery {
    if (!Number.isInteger(n) || n < 0) throw dbError(-502002, 'skip must be a non-negative integer');
    return this.next({ skip: n });
  }
  limit(n: number): DbQuery {
    if (!Number.isInteger(n) || n <= 0) throw dbError(-502002, 'limit must be a positive integer');
    return this.next({ limit: Math.min(n, MAX_LIMIT) });
  }
  field(projection: Record<string, unknown>): DbQuery {
    const p: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(projection)) p[k] = v ? 1 : 0;
    return this.next({ field: p });
  }

  protected query(now: number): Record<string, unknown> {
    return this.state.where === undefined ? {} : toQuery(this.state.where, now);
  }

  async get(): Promise<{ data: Doc[]; errMsg: string }> {
    await tick();
    const opts: FindOptions = {
      sort: Object.fromEntries(this.state.sort), skip: this.state.skip,
      limit: this.state.limit ?? DEFAULT_LIMIT, projection: this.state.field,
    };
    const data = this.engine.find(this.collectionName, this.query(Date.now()), opts);
    this.engine.meter('read', data.length);
    await tick();
    return { data, errMsg: 'collection.get:ok' };
  }

  async count(): Promise<{ total: number; errMsg: string }> {
    await tick();
    const total = this.engine.count(this.collectionName, this.query(Date.now()));
    this.engine.meter('read', 0);
    await tick();
    return { total, errMsg: 'collection.count:ok' };
  }

  async update(opts: { data: unknown }): Promise<{ stats: { updated: number }; errMsg: string }> {
    if (!opts || opts.data === undefined) throw dbError(-502002, 'update needs { data }');
    await tick();
    const now = Date.now();
    const updated = this.engine.updateWhere(this.collectionName, this.query(now), toUpdate(opts.data, now));
    this.engine.meter('write', updated);
    await tick();
    return { stats: { updated }, errMsg: 'collection.update:ok' };
  }

  async remove(): Promise<{ stats: { removed: number }; errMsg: string }> {
    await tick();
    const removed = this.engine.removeWhere(this.collectionName, this.query(Date.now()));
    this.engine.meter('write', removed);
    await tick();
    return { stats: { removed }, errMsg: 'collection.remove:ok' };
  }
}

/** `db.collection(name)`. */
export class CollectionReference extends DbQuery {
  doc(id: string): DocumentReference {
    if (typeof id !== 'string' || !id) throw dbError(-502002, 'doc id must be a non-empty string');
    return new DocumentReference(this.engine, this.collectionName, id);
  }

  async add(opts: { data: unknown }): Promise<{ _id: string; errMsg: string } | { _ids: string[]; errMsg: string }> {
    if (!opts || opts.data === undefined) throw dbError(-502002, 'add needs { data }');
    const many = Array.isArray(opts.data);
    const items = (many ? opts.data : [opts.data]) as unknown[];
    await tick();
    const now = Date.now();
    const changes: Change[] = items.map((item) => {
      const doc = toDocument(item, now);
      const id = typeof doc._id === 'string' && doc._id ? doc._id : newId();
      if (this.engine.peek(this.collectionName, id)) throw dbError(-502001, `E11000 duplicate key error collection: ${this.collectionName} index: _id_ dup key: "${id}"`);
      return [this.collectionName, id, { ...doc, _id: id }];
    });
    this.engine.commit(changes);
    this.engine.meter('write', changes.length);
    await tick();
    const ids = changes.map((c) => c[1]);
    return many ? { _ids: ids, errMsg: 'collection.add:ok' } : { _id: ids[0], errMsg: 'collection.add:ok' };
  }

  aggregate(): Aggregate {
    return new Aggregate(this.engine, this.collectionName, []);
  }
}

/** `collection.doc(id)`. */
export class DocumentReference {
  constructor(private readonly engine: Engine, readonly collectionName: string, readonly id: string) {}

  async get(): Promise<{ data: Doc; errMsg: string }> {
    await tick();
    const doc = this.engine.find(this.collectionName, { _id: this.id })[0];
    this.engine.meter('read', doc ? 1 : 0);
    await tick();
    if (!doc) throw dbError(-502001, `document.get:fail document with _id ${this.id} does not exist`);
    return { data: doc, errMsg: 'document.get:ok' };
  }

  async set(opts: { data: unknown }): Promise<{ _id: string; stats: { updated: number; created: number }; errMsg: string }> {
    if (!opts || opts.data === undefined) throw dbError(-502002, 'set needs { data }');
    await tick();
    const doc = toDocument(opts.data, Date.now());
    delete doc._id;
    const existed = Boolean(this.engine.peek(this.collectionName, this.id));
    this.engine.commit([[this.collectionName, this.id, { ...doc, _id: this.id }]]);
    this.engine.meter('write', 1);
    await tick();
    return { _id: this.id, stats: { updated: existed ? 1 : 0, created: existed ? 0 : 1 }, errMsg: 'document.set:ok' };
  }

  async update(opts: { data: unknown }): Promise<{ stats: { updated: number }; errMsg: string }> {
    if (!opts || opts.data === undefined) throw dbError(-502002, 'update needs { data }');
    await tick();
    const now = Date.now();
    const updated = this.engine.updateWhere(this.collectionName, { _id: this.id }, toUpdate(opts.data, now));
    this.engine.meter('write', updated);
    await tick();
    return { stats: { updated }, errMsg: 'document.update:ok' };
  }

  async remove(): Promise<{ stats: { removed: number }; errMsg: string }> {
    await tick();
    const removed = this.engine.removeWhere(this.collectionName, { _id: this.id });
    this.engine.meter('write', removed);
    await tick();
    return { stats: { removed }, errMsg: 'document.remove:ok' };
  }
}

/** `collection.aggregate()` with chained stages and `.end()`. */
export class Aggregate {
  constructor(private readonly engine: Engine, private readonly collectionName: string, private readonly stages: Record<string, unknown>[]) {}

  private add(stage: string, arg: unknown): Aggregate {
    return new Aggregate(this.engine, this.collectionName, [...this.stages, { ['$' + stage]: arg }]);
  }

  addFields(a: unknown) { return this.add('addFields', a); }
  bucket(a: unknown) { return this.add('bucket', a); }
  bucketAuto(a: unknown) { return this.add('bucketAuto', a); }
  count(a: string) { return this.add('count', a); }
  group(a: unknown) { return this.add('group', a); }
  limit(n: number) { return this.add('limit', n); }
  lookup(a: unknown) { return this.add('lookup', a); }
  match(a: unknown) { return this.add('match', a instanceof Command || typeof a === 'object' ? a : a); }
  project(a: unknown) { return this.add('project', a); }
  replaceRoot(a: unknown) { return this.add('replaceRoot', a); }
  sample(a: unknown) { return this.add('sample', a); }
  skip(n: number) { return this.add('skip', n); }
  sort(a: unknown) { return this.add('sort', a); }
  sortByCount(a: unknown) { return this.add('sortByCount', a); }
  unwind(a: unknown) { return this.add('unwind', a); }

  async end(): Promise<{ list: Record<string, unknown>[]; errMsg: string }> {
    await tick();
    const now = Date.now();
    const pipeline = this.stages.map((s) => ('$match' in s ? { $match: toQuery(s.$match, now) } : s));
    // $lookup reads another collection: hand mingo that collection's documents.
    const resolved = pipeline.map((s) => {
      if (!('$lookup' in s)) return s;
      const l = s.$lookup as Record<string, unknown>;
      return { $lookup: { ...l, from: this.engine.find(String(l.from), {}) } };
    });
    let list = this.engine.aggregate(this.collectionName, resolved);
    if (!pipeline.some((s) => '$limit' in s)) list = list.slice(0, AGGREGATE_DEFAULT_LIMIT);
    this.engine.meter('read', list.length);
    await tick();
    return { list, errMsg: 'collection.aggregate:ok' };
  }
}

let txSeq = 0;

/** A transaction: single-document operations with snapshot reads and conflict detection. */
export class Transaction {
  readonly id = ++txSeq;
  private readonly seen = new Map<string, number>();
  private readonly writes = new Map<string, Change>();
  private done = false;

  /** `managed`: run by runTransaction, where rollback(v) aborts the callback and rejects with v. */
  constructor(private readonly engine: Engine, private readonly managed = false) {}

  private key(c: string, id: string) { return c + '\u0000' + id; }

  private observe(c: string, id: string): void {
    const k = this.key(c, id);
    if (!this.seen.has(k)) this.seen.set(k, this.engine.version(c, id));
  }

  private lock(c: string, id: string): void {
    const k = this.key(c, id);
    const holder = this.engine.locks.get(k);
    if (holder !== undefined && holder !== this.id) throw conflict(`${c}/${id} is locked by another transaction`);
    this.engine.locks.set(k, this.id);
  }

  private current(c: string, id: string): Doc | null {
    const w = this.writes.get(this.key(c, id));
    if (w) return w[2] ? structuredClone(w[2]) : null;
    this.observe(c, id);
    const d = this.engine.peek(c, id);
    return d ? structuredClone(d) : null;
  }

  private ensureOpen(): void {
    if (this.done) throw dbError(-502002, 'transaction already finished');
  }

  collection(name: string) {
    checkName(name);
    const tx = this;
    return {
      doc: (id: string) => ({
        async get() {
          tx.ensureOpen();
          await tick();
          const d = tx.current(name, id);
          tx.engine.meter('read', d ? 1 : 0);
          await tick();
          if (!d) throw dbError(-502001, `document.get:fail document with _id ${id} does not exist`);
          return { data: d };
        },
        async set(opts: { data: unknown }) {
          tx.ensureOpen();
          await tick();
          tx.observe(name, id);
          tx.lock(name, id);
          const doc = toDocument(opts?.data, Date.now());
          delete doc._id;
          tx.writes.set(tx.key(name, id), [name, id, { ...doc, _id: id }]);
          tx.engine.meter('write', 1);
          await tick();
          return { stats: { updated: 1 } };
        },
        async update(opts: { data: unknown }) {
          tx.ensureOpen();
          await tick();
          const d = tx.current(name, id);
          tx.lock(name, id);
          tx.engine.meter('write', d ? 1 : 0);
          if (!d) { await tick(); return { stats: { updated: 0 } }; }
          const next = Engine.applyUpdate(d, toUpdate(opts?.data, Date.now())) ?? d;
          tx.writes.set(tx.key(name, id), [name, id, next]);
          await tick();
          return { stats: { updated: 1 } };
        },
        async remove() {
          tx.ensureOpen();
          await tick();
          const d = tx.current(name, id);
          tx.lock(name, id);
          tx.writes.set(tx.key(name, id), [name, id, null]);
          tx.engine.meter('write', d ? 1 : 0);
          await tick();
          return { stats: { removed: d ? 1 : 0 } };
        },
        delete() { return this.remove(); },
      }),
      async add(opts: { data: unknown }) {
        tx.ensureOpen();
        await tick();
        const doc = toDocument(opts?.data, Date.now());
        const id = typeof doc._id === 'string' && doc._id ? doc._id : newId();
        tx.observe(name, id);
        if (tx.current(name, id)) throw dbError(-502001, `E11000 duplicate key error collection: ${name} index: _id_ dup key: "${id}"`);
        tx.lock(name, id);
        tx.writes.set(tx.key(name, id), [name, id, { ...doc, _id: id }]);
        tx.engine.meter('write', 1);
        await tick();
        return { _id: id };
      },
    };
  }

  /** Validates that nothing seen changed, then applies all writes atomically. */
  commitNow(): void {
    this.ensureOpen();
    try {
      for (const [k, v] of this.seen) {
        const [c, id] = k.split('\u0000');
        if (this.engine.version(c, id) !== v) throw conflict(`${c}/${id} changed during the transaction`);
      }
      this.engine.commit([...this.writes.values()]);
    } finally {
      this.release();
    }
  }

  /** Releases locks without writing. */
  release(): void {
    this.done = true;
    for (const [k, holder] of this.engine.locks) if (holder === this.id) this.engine.locks.delete(k);
  }

  async commit(): Promise<void> {
    await tick();
    this.commitNow();
    await tick();
  }

  async rollback(reason?: unknown): Promise<{ errMsg: string }> {
    this.release();
    if (this.managed) throw new Rollback(reason);
    // A manual transaction (startTransaction): rollback just discards the writes.
    await tick();
    return { errMsg: 'transaction.rollback:ok' };
  }
}

class Rollback {
  constructor(readonly reason: unknown) {}
}

/** `cloud.database()`. */
export class Database {
  readonly command = createCommand();
  constructor(readonly engine: Engine) {}

  collection(name: string): CollectionReference {
    return new CollectionReference(this.engine, checkName(name));
  }
  serverDate(opts?: { offset?: number }): ServerDate {
    return new ServerDate(opts?.offset ?? 0);
  }
  RegExp(opts: { regexp: string; options?: string }): DbRegExp {
    return new DbRegExp(opts.regexp, opts.options);
  }

  /** Runs `fn` in a transaction, retrying on conflicts up to `times`; rejects with rollback's reason. */
  async runTransaction<T>(fn: (tx: Transaction) => Promise<T>, times = 3): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const tx = new Transaction(this.engine, true);
      try {
        const result = await fn(tx);
        await tx.commit();
        return result;
      } catch (e) {
        tx.release();
        if (e instanceof Rollback) throw e.reason;
        if (!isConflict(e) || attempt >= times) throw e;
        // Back off a little so the holder can finish, as the SDK's retry does.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5 * attempt)));
      }
    }
  }

  /** A manually driven transaction (`commit()` / `rollback()`). */
  async startTransaction(): Promise<Transaction> {
    await tick();
    return new Transaction(this.engine);
  }
}
