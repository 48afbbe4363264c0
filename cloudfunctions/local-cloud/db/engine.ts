// The emulator's core: collections in memory, unique indexes, versions for transactions,
// op counters, and durable storage. All methods are synchronous and atomic; the SDK facade
// (database.ts) puts an async boundary around each call, as a network round trip would.
import { AsyncLocalStorage } from 'async_hooks';
import { randomBytes } from 'crypto';
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import { dbError } from './command';
import { Change, Doc, Storage } from './storage';

/** Reads and writes counted for one invocation (or globally). */
export interface Counters { calls: number; reads: number; writes: number; docsRead: number; docsWritten: number }
/** Fresh zeroed counters. */
export const zeroCounters = (): Counters => ({ calls: 0, reads: 0, writes: 0, docsRead: 0, docsWritten: 0 });
/** Counters of the function invocation in progress (set by the functions host). */
export const invocationCounters = new AsyncLocalStorage<Counters>();

/** A declared index, as in cloudfunctions/indexes.json. */
export interface IndexSpec { name: string; keys: Record<string, 1 | -1>; unique?: boolean }

interface UniqueIndex { collection: string; name: string; fields: string[]; map: Map<string, string> }

/** Options of a find. */
export interface FindOptions { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; projection?: Record<string, unknown> }

const clone = <T>(v: T): T => structuredClone(v);

function getPath(doc: Record<string, unknown>, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Generates a document id like CloudBase's (32 hex chars). */
export const newId = (): string => randomBytes(16).toString('hex');

/** Thrown when a write breaks a unique index. */
export function duplicateKey(collection: string, index: string, key: string) {
  return dbError(-502001, `E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${key}`);
}

/** The in-memory database with durable storage. */
export class Engine {
  private readonly cols = new Map<string, Map<string, Doc>>();
  private readonly versions = new Map<string, number>();
  private readonly uniques: UniqueIndex[] = [];
  private readonly storage: Storage;
  readonly total: Counters = zeroCounters();
  /** Document keys locked by an open transaction (key → transaction id). */
  readonly locks = new Map<string, number>();

  /** Equality lookup on the first key of each declared index: collection → field → value → ids. */
  private readonly lookups = new Map<string, Map<string, Map<string, Set<string>>>>();
  /** Documents whose indexed field holds an array or object (matched by scanning). */
  private readonly unindexable = new Map<string, Map<string, Set<string>>>();

  constructor(opts: { dir?: string | null; indexes?: Record<string, IndexSpec[]> } = {}) {
    this.storage = new Storage(opts.dir ?? null);
    for (const [collection, specs] of Object.entries(opts.indexes ?? {})) {
      for (const s of specs) if (s.unique) this.uniques.push({ collection, name: s.name, fields: Object.keys(s.keys), map: new Map() });
      const fields = new Map<string, Map<string, Set<string>>>();
      const odd = new Map<string, Set<string>>();
      for (const s of specs) { const f = Object.keys(s.keys)[0]; if (f && f !== '_id') { fields.set(f, new Map()); odd.set(f, new Set()); } }
      if (fields.size) { this.lookups.set(collection, fields); this.unindexable.set(collection, odd); }
    }
    this.storage.load((c) => this.applyChange(c, false), () => this.dump());
  }

  /** Counts one call of `kind` touching `docs` documents. */
  meter(kind: 'read' | 'write', docs: number): void {
    const all = [this.total, invocationCounters.getStore()];
    for (const c of all) {
      if (!c) continue;
      c.calls++;
      if (kind === 'read') { c.reads++; c.docsRead += docs; } else { c.writes++; c.docsWritten += docs; }
    }
  }

  private col(name: string): Map<string, Doc> {
    let c = this.cols.get(name);
    if (!c) { c = new Map(); this.cols.set(name, c); }
    return c;
  }

  /** Current version of a document (0 if never written). */
  version(collection: string, id: string): number {
    return this.versions.get(collection + '\u0000' + id) ?? 0;
  }

  /** The stored document (not a copy: callers must not mutate), or undefined. */
  peek(collection: string, id: string): Doc | undefined {
    return this.cols.get(collection)?.get(id);
  }

  private uniqueKey(u: UniqueIndex, doc: Doc): string {
    return JSON.stringify(u.fields.map((f) => getPath(doc, f) ?? null));
  }

  // Puts or deletes one document, keeping unique indexes; throws before changing anything on a duplicate.
  private applyChange([collection, id, doc]: Change, check = true): void {
    const c = this.col(collection);
    const prev = c.get(id);
    const idx = this.uniques.filter((u) => u.collection === collection);
    if (check && doc) {
      for (const u of idx) {
        const key = this.uniqueKey(u, doc);
        const owner = u.map.get(key);
        if (owner !== undefined && owner !== id) throw duplicateKey(collection, u.name, key);
      }
    }
    for (const u of idx) {
      if (prev) { const k = this.uniqueKey(u, prev); if (u.map.get(k) === id) u.map.delete(k); }
      if (doc) u.map.set(this.uniqueKey(u, doc), id);
    }
    if (Boolean(prev) !== Boolean(doc)) this.sortedIds.delete(collection);
    this.relookup(collection, id, prev, doc);
    if (doc) c.set(id, doc); else c.delete(id);
    const vk = collection + '\u0000' + id;
    this.versions.set(vk, (this.versions.get(vk) ?? 0) + 1);
  }

  /** Applies changes all-or-nothing, then makes them durable. */
  commit(changes: Change[]): void {
    const undo: Change[] = [];
    try {
      for (const ch of changes) {
        const prev = this.peek(ch[0], ch[1]);
        this.applyChange(ch);
        undo.push([ch[0], ch[1], prev ?? null]);
      }
    } catch (e) {
      for (const u of undo.reverse()) this.applyChange(u, false);
      throw e;
    }
    this.storage.append(changes);
  }

  private *dump(): Iterable<Change> {
    for (const [name, c] of this.cols) for (const [id, doc] of c) yield [name, id, doc];
  }

  /** Replaces the whole database with `data` (seeding). */
  replaceAll(data: Record<string, Doc[]>): void {
    this.cols.clear();
    this.sortedIds.clear();
    for (const f of this.lookups.values()) for (const m of f.values()) m.clear();
    for (const f of this.unindexable.values()) for (const m of f.values()) m.clear();
    this.versions.clear();
    for (const u of this.uniques) u.map.clear();
    for (const [name, docs] of Object.entries(data)) for (const d of docs) this.applyChange([name, d._id, d]);
    this.storage.writeSnapshot(this.dump());
  }

  /** Closes storage. */
  close(): void { this.storage.close(); }

  /** Names of collections that hold documents. */
  collectionNames(): string[] {
    return [...this.cols.entries()].filter(([, c]) => c.size > 0).map(([n]) => n);
  }

  private readonly sortedIds = new Map<string, string[]>();

  // Ids in ascending order, kept until a document is added or removed (updates keep ids).
  private idsInOrder(collection: string): string[] {
    let ids = this.sortedIds.get(collection);
    if (!ids) { ids = [...(this.cols.get(collection)?.keys() ?? [])].sort(); this.sortedIds.set(collection, ids); }
    return ids;
  }

  // The `_id > cursor` bound of a paging query, if it has one at its top level.
  private static idLowerBound(query: Record<string, unknown>): string | null {
    const parts = Array.isArray(query.$and) ? (query.$and as Record<string, unknown>[]) : [query];
    for (const p of parts) {
      const id = p._id as Record<string, unknown> | undefined;
      if (id && typeof id === 'object' && typeof id.$gt === 'string' && Object.keys(id).length === 1) return id.$gt;
    }
    return null;
  }

  private static scalarKey(v: unknown): string | null {
    if (v === undefined || v === null) return 'null';
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? `${typeof v}:${String(v)}` : null;
  }

  // Keeps the equality lookups in step with one document change.
  private relookup(collection: string, id: string, prev: Doc | undefined, doc: Doc | null): void {
    const fields = this.lookups.get(collection);
    if (!fields) return;
    const odd = this.unindexable.get(collection)!;
    for (const [field, byValue] of fields) {
      if (prev) {
        const k = Engine.scalarKey(getPath(prev, field));
        if (k === null) odd.get(field)!.delete(id); else byValue.get(k)?.delete(id);
      }
      if (doc) {
        const k = Engine.scalarKey(getPath(doc, field));
        if (k === null) odd.get(field)!.add(id);
        else { let set = byValue.get(k); if (!set) { set = new Set(); byValue.set(k, set); } set.add(id); }
      }
    }
  }

  // Documents that may match: by _id, by an equality on a looked-up field, or all of them.
  // The caller always applies the full query afterwards, so this only narrows.
  private candidates(collection: string, query: Record<string, unknown>): Doc[] {
    const c = this.cols.get(collection);
    if (!c) return [];
    const id = query._id;
    if (typeof id === 'string') { const d = c.get(id); return d ? [d] : []; }
    const fields = this.lookups.get(collection);
    if (fields) {
      const parts = Array.isArray(query.$and) ? [query, ...(query.$and as Record<string, unknown>[])] : [query];
      for (const part of parts) {
        for (const [field, byValue] of fields) {
          if (!(field in part)) continue;
          const v = part[field];
          const key = v !== null && typeof v === 'object' ? null : Engine.scalarKey(v);
          if (key === null) continue;
          const ids = [...(byValue.get(key) ?? []), ...this.unindexable.get(collection)!.get(field)!];
          return ids.map((x) => c.get(x)).filter((d): d is Doc => Boolean(d));
        }
      }
    }
    return [...c.values()];
  }

  /** Documents matching `query` (copies). */
  find(collection: string, query: Record<string, unknown>, opts: FindOptions = {}): Doc[] {
    // Cursor paging (`_id > c`, ordered by _id, limited) walks the ordered ids instead of scanning everything.
    const after = Engine.idLowerBound(query);
    const sortKeys = Object.keys(opts.sort ?? {});
    if (after !== null && opts.limit !== undefined && sortKeys.length === 1 && sortKeys[0] === '_id' && opts.sort!._id === 1) {
      const ids = this.idsInOrder(collection);
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (ids[mid] <= after) lo = mid + 1; else hi = mid; }
      const q = new Query(query);
      const c = this.cols.get(collection)!;
      const hits: Doc[] = [];
      let skip = opts.skip ?? 0;
      for (let i = lo; i < ids.length && hits.length < opts.limit; i++) {
        const d = c.get(ids[i]);
        if (d && q.test(d)) { if (skip > 0) skip--; else hits.push(d); }
      }
      const projected = opts.projection && Object.keys(opts.projection).length ? new Query({}).find<Doc>(hits, opts.projection).all() : hits;
      return clone(projected);
    }
    const docs = this.candidates(collection, query);
    let cursor = new Query(query).find<Doc>(docs, opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined);
    if (opts.sort && Object.keys(opts.sort).length) cursor = cursor.sort(opts.sort);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit !== undefined) cursor = cursor.limit(opts.limit);
    return clone(cursor.all());
  }

  /** Number of documents matching `query`. */
  count(collection: string, query: Record<string, unknown>): number {
    const q = new Query(query);
    let n = 0;
    for (const d of this.candidates(collection, query)) if (q.test(d)) n++;
    return n;
  }

  /** Runs an aggregation pipeline over a collection. */
  aggregate(collection: string, pipeline: Record<string, unknown>[]): Record<string, unknown>[] {
    return clone(new Aggregator(pipeline).run(this.candidates(collection, {})) as Record<string, unknown>[]);
  }

  /** Applies a MongoDB update to a copy of `doc`; returns the new doc or null if nothing changed. */
  static applyUpdate(doc: Doc, ops: Record<string, Record<string, unknown>>): Doc | null {
    const next = clone(doc);
    const changed = mingoUpdate(next, ops as never);
    if (!changed || (Array.isArray(changed) && changed.length === 0)) return null;
    return next;
  }

  /** Updates every matching document atomically; returns how many changed. */
  updateWhere(collection: string, query: Record<string, unknown>, ops: Record<string, Record<string, unknown>>, max = Infinity): number {
    const q = new Query(query);
    const changes: Change[] = [];
    for (const d of this.candidates(collection, query)) {
      if (changes.length >= max) break;
      if (!q.test(d)) continue;
      const next = Engine.applyUpdate(d, ops);
      if (next) changes.push([collection, d._id, next]);
    }
    this.commit(changes);
    return changes.length;
  }

  /** Removes every matching document; returns how many. */
  removeWhere(collection: string, query: Record<string, unknown>): number {
    const q = new Query(query);
    const changes: Change[] = this.candidates(collection, query).filter((d) => q.test(d)).map((d) => [collection, d._id, null]);
    this.commit(changes);
    return changes.length;
  }
}
