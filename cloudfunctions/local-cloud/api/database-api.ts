// The `database.*` actions of CloudBase's server API (POST /admin), as @cloudbase/database 1.4 sends them:
// src/query.ts (getDocument, calculateDocument, modifyDocument, removeDocument with queryType WHERE),
// src/document.ts (the same with queryType DOC and `{ _id }`), src/collection.ts (insertDocument),
// src/aggregate.ts (aggregateDocuments with `stages: [{ stageKey, stageValue }]`) and
// src/transaction/index.ts (startTransaction / commitTransaction / abortTransaction, `transactionId` on each
// operation inside). Answers have the shapes those files read (`data.list`, `data.updated`, `data.upsert_id`,
// `data.insertedIds`, `data.deleted`, `data.total`, `transactionId`).
import { DuplicateKeyError, Engine, newId } from '../db/engine';
import { Doc } from '../db/storage';
import { TxError, TxManager } from '../db/transactions';
import { decode, decodeObject, encode, WireError } from './ejson';

/** A failure answered as `{ code, message }` with CloudBase's code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What one action did, for the counters. */
export interface ActionOutcome {
  result: Record<string, unknown>;
  kind: 'read' | 'write' | 'tx';
  docs: number;
}

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
// CloudBase caps an aggregation without $limit (the SDK does not add one): 20 results, as observed on the platform.
const AGGREGATE_DEFAULT_LIMIT = 20;
const READS = new Set(['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments']);

type Params = Record<string, unknown>;

function collectionName(p: Params): string {
  const c = p.collectionName;
  if (typeof c !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(c)) throw new ApiError('INVALID_PARAM', '集合名称不合法');
  return c;
}

function txId(p: Params): string | null {
  return typeof p.transactionId === 'string' && p.transactionId ? p.transactionId : null;
}

// Inside a transaction only single-document operations exist: the query must be exactly `{ _id }`.
function docIdOf(query: Record<string, unknown>): string {
  const keys = Object.keys(query);
  const id = query._id;
  if (keys.length !== 1 || (typeof id !== 'string' && typeof id !== 'number')) {
    throw new ApiError('INVALID_PARAM', '事务中仅支持按 _id 的单文档操作');
  }
  return String(id);
}

function intParam(v: unknown, name: string, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ApiError('INVALID_PARAM', `${name} 不合法`);
  return v;
}

function sortSpec(order: Record<string, unknown>): Record<string, 1 | -1> {
  const out: Record<string, 1 | -1> = {};
  for (const [k, v] of Object.entries(order)) {
    if (v !== 1 && v !== -1) throw new ApiError('INVALID_PARAM', 'order 不合法');
    out[k] = v;
  }
  return out;
}

function applyOps(doc: Doc, ops: Record<string, unknown>): Doc | null {
  for (const op of Object.keys(ops)) {
    if (!op.startsWith('$')) throw new ApiError('DATABASE_INVALID_OPERRATOR', `更新必须使用操作符：${op}`);
    const fields = ops[op] as Record<string, unknown>;
    if (fields && typeof fields === 'object' && Object.keys(fields).some((f) => f === '_id' || f.startsWith('_id.'))) {
      throw new ApiError('INVALID_PARAM', '不能更新_id的值');
    }
  }
  return Engine.applyUpdate(doc, ops as Record<string, Record<string, unknown>>);
}

/** The database actions over the engine and its transactions. */
export function createDatabaseApi(engine: Engine, txm: TxManager) {
  const now = () => Date.now();

  async function getDocument(p: Params): Promise<ActionOutcome> {
    const c = collectionName(p);
    const t = now();
    const query = p.query === undefined ? {} : decodeObject(p.query, t);
    const tx = txId(p);
    if (tx) {
      const d = txm.read(tx, c, docIdOf(query));
      return { result: { data: { list: d ? [encode(d)] : [] } }, kind: 'read', docs: d ? 1 : 0 };
    }
    const limit = Math.min(intParam(p.limit, 'limit', 1) ?? DEFAULT_LIMIT, MAX_LIMIT);
    const skip = intParam(p.offset, 'offset', 0);
    const sort = p.order === undefined ? undefined : sortSpec(decodeObject(p.order, t));
    const projection = p.projection === undefined ? undefined : decodeObject(p.projection, t);
    const list = engine.find(c, query, { sort, skip, limit: p.multi === false ? 1 : limit, projection });
    return { result: { data: { list: list.map(encode) }, limit, offset: skip ?? 0 }, kind: 'read', docs: list.length };
  }

  async function calculateDocument(p: Params): Promise<ActionOutcome> {
    const c = collectionName(p);
    const query = p.query === undefined ? {} : decodeObject(p.query, now());
    return { result: { data: { total: engine.count(c, query) } }, kind: 'read', docs: 0 };
  }

  async function insertDocument(p: Params): Promise<ActionOutcome> {
    const c = collectionName(p);
    if (!Array.isArray(p.data) || p.data.length === 0) throw new ApiError('INVALID_PARAM', 'data 不能为空');
    const t = now();
    const docs = p.data.map((x) => {
      const d = decodeObject(x, t);
      const id = d._id === undefined ? newId() : d._id;
      if (typeof id !== 'string' || !id) throw new ApiError('INVALID_PARAM', '_id 必须是非空字符串');
      return { ...d, _id: id } as Doc;
    });
    const tx = txId(p);
    if (tx) {
      for (const d of docs) {
        txm.write(tx, c, d._id, (cur) => {
          if (cur) throw new DuplicateKeyError(c, '_id_', JSON.stringify({ _id: d._id }));
          return d;
        });
      }
    } else {
      await txm.waitUnlocked(docs.map((d) => [c, d._id]));
      for (const d of docs) {
        if (engine.peek(c, d._id)) throw new DuplicateKeyError(c, '_id_', JSON.stringify({ _id: d._id }));
      }
      engine.commit(docs.map((d) => [c, d._id, d]));
    }
    return { result: { data: { insertedIds: docs.map((d) => d._id) } }, kind: 'write', docs: docs.length };
  }

  async function modifyDocument(p: Params): Promise<ActionOutcome> {
    const c = collectionName(p);
    const t = now();
    const query = p.query === undefined ? {} : decodeObject(p.query, t);
    const data = decodeObject(p.data, t);
    const merge = p.merge !== false;
    const multi = p.multi !== false;
    const upsert = p.upsert === true;
    if (!merge && Object.keys(data).some((k) => k.startsWith('$'))) {
      throw new ApiError('DATABASE_INVALID_OPERRATOR', 'set 的数据不能包含操作符');
    }
    if (!merge && '_id' in data) throw new ApiError('INVALID_PARAM', '不能更新_id的值');
    const tx = txId(p);
    if (tx) {
      const id = docIdOf(query);
      let created = false;
      const changed = txm.write(tx, c, id, (cur) => {
        if (!cur && !upsert) return undefined;
        if (merge) return cur ? (applyOps(cur, data) ?? undefined) : undefined;
        created = !cur;
        return { ...data, _id: id } as Doc;
      });
      const result = { updated: changed && !created ? 1 : 0, ...(created ? { upsert_id: id } : {}) };
      return { result: { data: result }, kind: 'write', docs: changed ? 1 : 0 };
    }
    if (!merge) {
      // doc(id).set: replace the document, or create it (upsert).
      const id = docIdOf(query);
      await txm.waitUnlocked([[c, id]]);
      const existed = Boolean(engine.peek(c, id));
      if (!existed && !upsert) return { result: { data: { updated: 0 } }, kind: 'write', docs: 0 };
      engine.commit([[c, id, { ...data, _id: id } as Doc]]);
      return { result: { data: existed ? { updated: 1 } : { updated: 0, upsert_id: id } }, kind: 'write', docs: 1 };
    }
    // A plain write to documents a transaction holds waits for it; then match and apply in one step.
    for (;;) {
      const ids = engine.matchIds(c, query, multi ? Infinity : 1);
      if (!ids.some((id) => txm.isLocked(c, id))) break;
      await txm.waitUnlocked(ids.map((id) => [c, id]));
    }
    for (const op of Object.keys(data)) {
      if (!op.startsWith('$')) throw new ApiError('DATABASE_INVALID_OPERRATOR', `更新必须使用操作符：${op}`);
    }
    const updated = engine.updateWhere(c, query, data as Record<string, Record<string, unknown>>, multi ? Infinity : 1);
    return { result: { data: { updated } }, kind: 'write', docs: updated };
  }

  async function removeDocument(p: Params): Promise<ActionOutcome> {
    const c = collectionName(p);
    const query = p.query === undefined ? {} : decodeObject(p.query, now());
    const tx = txId(p);
    if (tx) {
      const id = docIdOf(query);
      const removed = txm.write(tx, c, id, (cur) => (cur ? null : undefined));
      return { result: { data: { deleted: removed ? 1 : 0 } }, kind: 'write', docs: removed ? 1 : 0 };
    }
    const multi = p.multi !== false;
    for (;;) {
      const ids = engine.matchIds(c, query, multi ? Infinity : 1);
      if (!ids.some((id) => txm.isLocked(c, id))) break;
      await txm.waitUnlocked(ids.map((id) => [c, id]));
    }
    const deleted = engine.removeWhere(c, query, multi ? Infinity : 1);
    return { result: { data: { deleted } }, kind: 'write', docs: deleted };
  }

  async function aggregateDocuments(p: Params): Promise<ActionOutcome> {
    const c = collectionName(p);
    if (!Array.isArray(p.stages)) throw new ApiError('INVALID_PARAM', 'stages 必须是数组');
    const t = now();
    const pipeline = p.stages.map((s) => {
      const { stageKey, stageValue } = (s ?? {}) as { stageKey?: unknown; stageValue?: unknown };
      if (typeof stageKey !== 'string' || !stageKey.startsWith('$'))
        throw new ApiError('INVALID_PARAM', 'stage 不合法');
      let value = decode(stageValue, t);
      if (stageKey === '$lookup') {
        // mingo joins against an array: hand it the other collection's documents.
        const l = value as Record<string, unknown>;
        value = { ...l, from: engine.find(String(l.from), {}) };
      }
      return { [stageKey]: value };
    });
    let list = engine.aggregate(c, pipeline);
    if (!pipeline.some((s) => '$limit' in s)) list = list.slice(0, AGGREGATE_DEFAULT_LIMIT);
    return { result: { data: { list: list.map(encode) } }, kind: 'read', docs: list.length };
  }

  const actions: Record<string, (p: Params) => Promise<ActionOutcome>> = {
    'database.getDocument': getDocument,
    'database.calculateDocument': calculateDocument,
    'database.insertDocument': insertDocument,
    'database.modifyDocument': modifyDocument,
    'database.updateDocument': modifyDocument,
    'database.removeDocument': removeDocument,
    'database.deleteDocument': removeDocument,
    'database.aggregateDocuments': aggregateDocuments,
    'database.startTransaction': async () => ({ result: { transactionId: txm.start() }, kind: 'tx', docs: 0 }),
    'database.commitTransaction': async (p) => {
      txm.commit(String(p.transactionId ?? ''));
      return { result: {}, kind: 'tx', docs: 0 };
    },
    'database.abortTransaction': async (p) => {
      txm.abort(String(p.transactionId ?? ''));
      return { result: {}, kind: 'tx', docs: 0 };
    },
  };

  return {
    /** True if this API answers `action`. */
    has: (action: string) => Object.prototype.hasOwnProperty.call(actions, action),
    /** Whether an action counts as a read. */
    isRead: (action: string) => READS.has(action),
    /** Runs one action; failures come back as ApiError with CloudBase's code. */
    async run(action: string, params: Params): Promise<ActionOutcome> {
      // Callers ask has() first; an unknown action fails as any other request would.
      const act = actions[action];
      if (!act) throw new ApiError('DATABASE_REQUEST_FAILED', `database request failed: unknown action ${action}`);
      try {
        return await act(params);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        if (e instanceof TxError) throw new ApiError(e.code, e.message);
        if (e instanceof WireError) throw new ApiError('INVALID_PARAM', e.message);
        // MongoDB's duplicate-key text under the generic code (wx-server-sdk maps it to errCode -502001).
        if (e instanceof DuplicateKeyError) throw new ApiError('DATABASE_REQUEST_FAILED', e.message);
        throw new ApiError('DATABASE_REQUEST_FAILED', `database request failed: ${(e as Error).message}`);
      }
    },
  };
}

/** The database API's type. */
export type DatabaseApi = ReturnType<typeof createDatabaseApi>;
