// The emulator's core: collections in memory, unique indexes, commit sequence numbers for
// snapshot transactions, and durable storage. All methods are synchronous and atomic; the server
// API (api/database-api.ts) is the only way functions reach it, one HTTP request per SDK call.
import { randomBytes } from 'crypto';
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import { Change, Doc, Storage } from './storage';

/** A declared index, as in cloudfunctions/indexes.json. */
export interface IndexSpec {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

interface UniqueIndex {
  collection: string;
  name: string;
  fields: string[];
  map: Map<string, string>;
}

/** Options of a find. */
export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

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

/** A write that breaks a unique index; the API answers it as MongoDB's E11000 text under DATABASE_REQUEST_FAILED. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly collection: string,
    readonly index: string,
    readonly key: string,
  ) {
    super(`E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${key}`);
  }
}

/** Called before a commit applies, with each change's previous document (snapshot history). */
export type CommitObserver = (changes: Change[], previous: (Doc | undefined)[], seqOf: (key: string) => number) => void;

/** The in-memory database with durable storage. */
export class Engine {
  private readonly cols = new Map<string, Map<string, Doc>>();
  private readonly versions = new Map<string, number>();
  private readonly uniques: UniqueIndex[] = [];
  private readonly storage: Storage;
  /** Commit sequence: every commit gets the next number, and each document the number of its last commit. */
  private seq = 0;
  private readonly docSeq = new Map<string, number>();
  /** Set by the transaction manager to keep old versions for snapshot reads. */
  observer: CommitObserver | null = null;

  /** Equality lookup on the first key of each declared index: collection → field → value → ids. */
  private readonly lookups = new Map<string, Map<string, Map<string, Set<string>>>>();
  /** Documents whose indexed field holds an array or object (matched by scanning). */
  private readonly unindexable = new Map<string, Map<string, Set<string>>>();

  constructor(opts: { dir?: string | null; indexes?: Record<string, IndexSpec[]> } = {}) {
    this.storage = new Storage(opts.dir ?? null);
    for (const [collection, specs] of Object.entries(opts.indexes ?? {})) {
      for (const s of specs)
        if (s.unique) this.uniques.push({ collection, name: s.name, fields: Object.keys(s.keys), map: new Map() });
      const fields = new Map<string, Map<string, Set<string>>>();
      const odd = new Map<string, Set<string>>();
      for (const s of specs) {
        const f = Object.keys(s.keys)[0];
        if (f && f !== '_id') {
          fields.set(f, new Map());
          odd.set(f, new Set());
        }
      }
      if (fields.size) {
        this.lookups.set(collection, fields);
        this.unindexable.set(collection, odd);
      }
    }
    this.storage.load(
      (c) => this.applyChange(c, false),
      () => this.dump(),
    );
  }

  private col(name: string): Map<string, Doc> {
    let c = this.cols.get(name);
    if (!c) {
      c = new Map();
      this.cols.set(name, c);
    }
    return c;
  }

  /** Current version of a document (0 if never written). */
  version(collection: string, id: string): number {
    return this.versions.get(collection + '\u0000' + id) ?? 0;
  }

  /** The sequence number of the latest commit. */
  currentSeq(): number {
    return this.seq;
  }

  /** The commit sequence of a document's last change (0 if never written); key is `collection\u0000id`. */
  seqOf(key: string): number {
    return this.docSeq.get(key) ?? 0;
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
        if (owner !== undefined && owner !== id) throw new DuplicateKeyError(collection, u.name, key);
      }
    }
    for (const u of idx) {
      if (prev) {
        const k = this.uniqueKey(u, prev);
        if (u.map.get(k) === id) u.map.delete(k);
      }
      if (doc) u.map.set(this.uniqueKey(u, doc), id);
    }
    if (Boolean(prev) !== Boolean(doc)) this.sortedIds.delete(collection);
    this.relookup(collection, id, prev, doc);
    if (doc) c.set(id, doc);
    else c.delete(id);
    const vk = collection + '\u0000' + id;
    this.versions.set(vk, (this.versions.get(vk) ?? 0) + 1);
  }

  /** Applies changes all-or-nothing, then makes them durable. */
  commit(changes: Change[]): void {
    if (changes.length === 0) return;
    const previous = changes.map((c) => this.peek(c[0], c[1]));
    this.check(changes);
    this.observer?.(changes, previous, (k) => this.seqOf(k));
    const undo: Change[] = [];
    try {
      for (const ch of changes) {
        const prev = this.peek(ch[0], ch[1]);
        this.applyChange(ch, false);
        undo.push([ch[0], ch[1], prev ?? null]);
      }
    } catch (e) {
      for (const u of undo.reverse()) this.applyChange(u, false);
      throw e;
    }
    this.seq++;
    for (const [c, id] of changes) this.docSeq.set(c + '\u0000' + id, this.seq);
    this.storage.append(changes);
  }

  // Unique indexes checked for the whole batch before anything applies (also between its own documents).
  private check(changes: Change[]): void {
    for (const u of this.uniques) {
      const batch = new Map<string, string>();
      for (const [collection, id, doc] of changes) {
        if (collection !== u.collection || !doc) continue;
        const key = this.uniqueKey(u, doc);
        const owner = batch.get(key) ?? u.map.get(key);
        const ownerLeaves =
          owner !== undefined &&
          owner !== id &&
          changes.some((c) => c[0] === collection && c[1] === owner && (!c[2] || this.uniqueKey(u, c[2]) !== key));
        if (owner !== undefined && owner !== id && !ownerLeaves) throw new DuplicateKeyError(collection, u.name, key);
        batch.set(key, id);
      }
    }
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
    this.docSeq.clear();
    for (const u of this.uniques) u.map.clear();
    for (const [name, docs] of Object.entries(data)) for (const d of docs) this.applyChange([name, d._id, d]);
    this.storage.writeSnapshot(this.dump());
  }

  /** Closes storage. */
  close(): void {
    this.storage.close();
  }

  /** Names of collections that hold documents. */
  collectionNames(): string[] {
    return [...this.cols.entries()].filter(([, c]) => c.size > 0).map(([n]) => n);
  }

  private readonly sortedIds = new Map<string, string[]>();

  // Ids in ascending order, kept until a document is added or removed (updates keep ids).
  private idsInOrder(collection: string): string[] {
    let ids = this.sortedIds.get(collection);
    if (!ids) {
      ids = [...(this.cols.get(collection)?.keys() ?? [])].sort();
      this.sortedIds.set(collection, ids);
    }
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
        if (k === null) odd.get(field)!.delete(id);
        else byValue.get(k)?.delete(id);
      }
      if (doc) {
        const k = Engine.scalarKey(getPath(doc, field));
        if (k === null) odd.get(field)!.add(id);
        else {
          let set = byValue.get(k);
          if (!set) {
            set = new Set();
            byValue.set(k, set);
          }
          set.add(id);
        }
      }
    }
  }

  // Documents that may match: by _id, by an equality on a looked-up field, or all of them.
  // The caller always applies the full query afterwards, so this only narrows.
  private candidates(collection: string, query: Record<string, unknown>): Doc[] {
    const c = this.cols.get(collection);
    if (!c) return [];
    const id = query._id;
    if (typeof id === 'string') {
      const d = c.get(id);
      return d ? [d] : [];
    }
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
    if (
      after !== null &&
      opts.limit !== undefined &&
      sortKeys.length === 1 &&
      sortKeys[0] === '_id' &&
      opts.sort!._id === 1
    ) {
      const ids = this.idsInOrder(collection);
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1; // < hi <= ids.length
        if (ids[mid]! <= after) lo = mid + 1;
        else hi = mid;
      }
      const q = new Query(query);
      const c = this.cols.get(collection)!;
      const hits: Doc[] = [];
      let skip = opts.skip ?? 0;
      for (let i = lo; i < ids.length && hits.length < opts.limit; i++) {
        const d = c.get(ids[i]!); // i < ids.length
        if (d && q.test(d)) {
          if (skip > 0) skip--;
          else hits.push(d);
        }
      }
      const projected =
        opts.projection && Object.keys(opts.projection).length
          ? new Query({}).find<Doc>(hits, opts.projection).all()
          : hits;
      return clone(projected);
    }
    const docs = this.candidates(collection, query);
    let cursor = new Query(query).find<Doc>(
      docs,
      opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined,
    );
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
  updateWhere(
    collection: string,
    query: Record<string, unknown>,
    ops: Record<string, Record<string, unknown>>,
    max = Infinity,
  ): number {
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

  /** Removes matching documents (at most `max`); returns how many. */
  removeWhere(collection: string, query: Record<string, unknown>, max = Infinity): number {
    const q = new Query(query);
    const changes: Change[] = this.candidates(collection, query)
      .filter((d) => q.test(d))
      .slice(0, max)
      .map((d) => [collection, d._id, null]);
    this.commit(changes);
    return changes.length;
  }

  /** Ids of the documents matching `query` (at most `max`), without copying them. */
  matchIds(collection: string, query: Record<string, unknown>, max = Infinity): string[] {
    const q = new Query(query);
    const ids: string[] = [];
    for (const d of this.candidates(collection, query)) {
      if (ids.length >= max) break;
      if (q.test(d)) ids.push(d._id);
    }
    return ids;
  }
}
