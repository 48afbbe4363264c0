// The database behaviour functions rely on, exercised through the REAL wx-server-sdk 4.0.2 against the local
// cloud's server API: query and update commands, limits, aggregation, transactions, unique indexes, the
// read-then-write race and op counters. Ported from db/database.spec.ts, which tested the old imitation SDK
// (durability lives in db/storage.spec.ts); where the imitation differed from the SDK, a test follows the SDK
// source (node_modules/wx-server-sdk/index.js, node_modules/@cloudbase/database/src) and says so.
import { Counters, zeroCounters } from '../instances';
import { ProbeCloud, ProbeError, ProbeFailure, ProbeScope, startProbeCloud } from '../testing/probe';

type Any = any;

const INDEXES = {
  u: [{ name: 'k_unique', keys: { k: 1 as const }, unique: true }],
  members: [{ name: 'openid_unique', keys: { openid: 1 as const }, unique: true }],
  race_members: [{ name: 'openid_unique', keys: { openid: 1 as const }, unique: true }],
  checkins: [{ name: 'member_day_unique', keys: { memberId: 1 as const, day: 1 as const }, unique: true }],
  bind: [{ name: 'phone_unique', keys: { phone: 1 as const }, unique: true }],
  indexed_orders: [{ name: 'status_created', keys: { status: 1 as const, createdAt: 1 as const } }],
};

let p: ProbeCloud;
beforeAll(async () => {
  p = await startProbeCloud({ maxInstances: 20, indexes: INDEXES });
});
afterAll(async () => {
  await p.close();
});

let seq = 0;
/** A collection name no other test uses. */
const fresh = (prefix: string) => `${prefix}_${++seq}`;

const failure = async (promise: Promise<unknown>): Promise<ProbeError> => {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ProbeFailure) return e.error;
    throw e;
  }
  throw new Error('expected the SDK call to fail');
};

const rejected = (results: PromiseSettledResult<unknown>[]): ProbeError[] =>
  results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => {
      if (r.reason instanceof ProbeFailure) return r.reason.error;
      throw r.reason;
    });

/**
 * Starts `calls` together behind a barrier named `g`. Their probe code arrives by adding `{ g }` to `barrier`
 * and then updating `gates/<g>`, a document a transaction opened here holds, so that plain write waits on the
 * server (as CloudBase's does). When all `n` have arrived (read here in-process, no request) the gate
 * transaction ends and every waiting write goes on at once.
 */
async function behindGate<T>(g: string, n: number, calls: () => Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  const { engine, txm } = p.cloud;
  engine.commit([['gates', g, { _id: g, passed: 0 }]]);
  const gate = txm.start();
  txm.write(gate, 'gates', g, (cur) => cur);
  let settled = false;
  const all = Promise.allSettled(calls()).finally(() => {
    settled = true;
  });
  while (!settled && engine.count('barrier', { g }) < n) await new Promise((r) => setTimeout(r, 2));
  txm.abort(gate);
  return all;
}

// Probe code for `where()` conditions: each builder's source is evaluated inside the instance with its `_` and `db`.
type Where = (s: { _: Any; db: Any }) => unknown;
const whereIds = (col: string, ...wheres: Where[]): Promise<string[][]> =>
  p.run(
    async ({ db, _ }, a: { col: string; ws: string[] }) => {
      const out: string[][] = [];
      for (const src of a.ws) {
        const w = new Function('return (' + src + ')')()({ _, db });
        out.push((await db.collection(a.col).where(w).get()).data.map((d: { _id: string }) => d._id).sort());
      }
      return out;
    },
    { col, ws: wheres.map(String) },
  );

// ───────────────────────────── query commands ─────────────────────────────
describe('query commands', () => {
  const C = 'items';
  beforeAll(async () => {
    await p.run(async ({ db }) =>
      db.collection('items').add({
        data: [
          {
            _id: 'a',
            n: 1,
            tags: ['x', 'y'],
            meta: { color: 'red', size: 1 },
            maybe: 1,
            arr: [
              { k: 1, v: 'p' },
              { k: 5, v: 'q' },
            ],
          },
          { _id: 'b', n: 2, tags: ['y'], meta: { color: 'blue', size: 2 }, arr: [{ k: 2, v: 'p' }] },
          { _id: 'c', n: 3, tags: ['x', 'y', 'z'], meta: { color: 'red', size: 3 }, maybe: null, arr: [] },
          { _id: 'd', n: 4, tags: [], meta: { color: 'green', size: 4 }, arr: [{ k: 9, v: 'r' }] },
          { _id: 'e', n: 5, tags: ['z'], meta: { color: 'red', size: 5, deep: { on: true } }, arr: [{ k: 3, v: 'q' }] },
        ],
      }),
    );
  });

  test('eq / neq', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ n: _.eq(3) }),
        ({ _ }) => ({ n: _.neq(3) }),
        () => ({ n: 3 }),
      ),
    ).toEqual([['c'], ['a', 'b', 'd', 'e'], ['c']]);
  });

  test('gt / gte / lt / lte', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ n: _.gt(3) }),
        ({ _ }) => ({ n: _.gte(3) }),
        ({ _ }) => ({ n: _.lt(3) }),
        ({ _ }) => ({ n: _.lte(3) }),
      ),
    ).toEqual([
      ['d', 'e'],
      ['c', 'd', 'e'],
      ['a', 'b'],
      ['a', 'b', 'c'],
    ]);
  });

  test('in / nin; on an array field `in` matches when any element is in the list', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ n: _.in([1, 4, 99]) }),
        ({ _ }) => ({ n: _.nin([1, 4]) }),
        ({ _ }) => ({ tags: _.in(['z']) }),
      ),
    ).toEqual([
      ['a', 'd'],
      ['b', 'c', 'e'],
      ['c', 'e'],
    ]);
  });

  test('exists (null counts as existing)', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ maybe: _.exists(true) }),
        ({ _ }) => ({ maybe: _.exists(false) }),
      ),
    ).toEqual([
      ['a', 'c'],
      ['b', 'd', 'e'],
    ]);
  });

  test('mod (divisor, remainder)', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ n: _.mod(2, 0) }),
        ({ _ }) => ({ n: _.mod(3, 1) }),
      ),
    ).toEqual([
      ['b', 'd'],
      ['a', 'd'],
    ]);
  });

  test('all / size', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ tags: _.all(['x', 'y']) }),
        ({ _ }) => ({ tags: _.size(0) }),
        ({ _ }) => ({ tags: _.size(3) }),
      ),
    ).toEqual([['a', 'c'], ['d'], ['c']]);
  });

  test('elemMatch with commands inside: both conditions on the same element', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ arr: _.elemMatch({ k: _.gte(3), v: 'q' }) }),
        ({ _ }) => ({ arr: _.elemMatch({ k: _.gte(5), v: 'p' }) }),
      ),
    ).toEqual([['a', 'e'], []]);
  });

  test('field-level chains: gt().and(lt()), lt().or(gt()), _.and / _.or / _.nor on a field', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ n: _.gt(1).and(_.lt(5)) }),
        ({ _ }) => ({ n: _.lt(2).or(_.gt(4)) }),
        ({ _ }) => ({ n: _.and(_.gte(2), _.lte(3)) }),
        ({ _ }) => ({ n: _.or([_.eq(1), _.eq(5)]) }),
        ({ _ }) => ({ n: _.nor([_.eq(1), _.eq(5)]) }),
      ),
    ).toEqual([
      ['b', 'c', 'd'],
      ['a', 'e'],
      ['b', 'c'],
      ['a', 'e'],
      ['b', 'c', 'd'],
    ]);
  });

  test('not on a field', async () => {
    expect(await whereIds(C, ({ _ }) => ({ n: _.not(_.gt(2)) }))).toEqual([['a', 'b']]);
  });

  test('top-level _.or / _.and / _.nor over whole conditions', async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => _.or([{ n: 1 }, { 'meta.color': 'green' }]),
        ({ _ }) => _.or({ n: 1 }, { n: _.gt(4) }),
        ({ _ }) => _.and([{ 'meta.color': 'red' }, { n: _.gt(1) }]),
        ({ _ }) => _.nor([{ 'meta.color': 'red' }, { n: 2 }]),
      ),
    ).toEqual([['a', 'd'], ['a', 'e'], ['c', 'e'], ['d']]);
  });

  test('nested object where matches by path (the SDK flattens it), not whole-object equality', async () => {
    expect(
      await whereIds(
        C,
        () => ({ meta: { color: 'red' } }),
        ({ _ }) => ({ meta: { color: 'red', size: _.gt(2) } }),
        () => ({ meta: { deep: { on: true } } }),
      ),
    ).toEqual([['a', 'c', 'e'], ['c', 'e'], ['e']]);
  });

  test("'a.b' dotted keys, also into arrays of objects", async () => {
    expect(
      await whereIds(
        C,
        ({ _ }) => ({ 'meta.size': _.lte(2) }),
        () => ({ 'meta.deep.on': true }),
        () => ({ 'arr.k': 9 }),
      ),
    ).toEqual([['a', 'b'], ['e'], ['d']]);
  });

  test('db.RegExp', async () => {
    expect(await whereIds(C, ({ db }) => ({ 'meta.color': db.RegExp({ regexp: '^R', options: 'i' }) }))).toEqual([
      ['a', 'c', 'e'],
    ]);
  });

  test('empty where matches everything; several fields AND together', async () => {
    expect(
      await whereIds(
        C,
        () => ({}),
        ({ _ }) => ({ 'meta.color': 'red', n: _.lt(5) }),
      ),
    ).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['a', 'c'],
    ]);
  });

  // The imitation refused this with -502002. The SDK does not: an UpdateCommand is no query command, so
  // QuerySerializer sends it as a plain value (src/serializer/query.ts, datatype.ts `serialize`), which no
  // document of the collection equals.
  test('an update command in a query is sent as a literal value by the SDK and matches nothing', async () => {
    expect(await whereIds(C, ({ _ }) => ({ n: _.inc(1) }))).toEqual([[]]);
  });
});

// ───────────────────────────── update commands ─────────────────────────────
describe('update commands', () => {
  const SEED = {
    _id: 'x',
    n: 10,
    name: 'old',
    list: [1, 2, 3],
    set: ['a'],
    obj: { a: 1, b: 2 },
    objs: [{ k: 1 }, { k: 2 }, { k: 3 }],
  };
  type Step = (s: { _: Any; db: Any }) => unknown;
  // Adds the seed document to a fresh collection, then applies each update to doc('x'): its stats and the doc after.
  const steps = (...updates: Step[]): Promise<{ updated: number; doc: Any }[]> =>
    p.run(
      async ({ db, _ }, a: { col: string; seed: unknown; us: string[] }) => {
        const c = db.collection(a.col);
        await c.add({ data: a.seed });
        const out: { updated: number; doc: unknown }[] = [];
        for (const src of a.us) {
          const data = new Function('return (' + src + ')')()({ _, db });
          const r = await c.doc('x').update({ data });
          out.push({ updated: r.stats.updated, doc: (await c.doc('x').get()).data });
        }
        return out;
      },
      { col: fresh('upd'), seed: SEED, us: updates.map(String) },
    );
  const docs = async (...updates: Step[]) => (await steps(...updates)).map((s) => s.doc);

  test('plain values set fields', async () => {
    const [s] = await steps(() => ({ name: 'new', extra: true }));
    expect(s?.updated).toBe(1);
    expect(s?.doc).toMatchObject({ name: 'new', extra: true, n: 10 });
  });

  test('nested plain object merges by path; _.set replaces the object', async () => {
    const [a, b] = await docs(
      () => ({ obj: { b: 20, c: 30 } }),
      ({ _ }) => ({ obj: _.set({ only: 1 }) }),
    );
    expect(a.obj).toEqual({ a: 1, b: 20, c: 30 });
    expect(b.obj).toEqual({ only: 1 });
  });

  test('remove', async () => {
    const [d] = await docs(({ _ }) => ({ name: _.remove() }));
    expect('name' in d).toBe(false);
    expect(d.n).toBe(10);
  });

  test('inc / mul', async () => {
    const ds = await docs(
      ({ _ }) => ({ n: _.inc(5) }),
      ({ _ }) => ({ n: _.mul(2) }),
      ({ _ }) => ({ n: _.inc(-31) }),
    );
    expect(ds.map((d) => d.n)).toEqual([15, 30, -1]);
  });

  test('min / max', async () => {
    const ds = await docs(
      ({ _ }) => ({ n: _.min(20) }),
      ({ _ }) => ({ n: _.min(3) }),
      ({ _ }) => ({ n: _.max(2) }),
      ({ _ }) => ({ n: _.max(99) }),
    );
    expect(ds.map((d) => d.n)).toEqual([10, 3, 3, 99]);
  });

  test('rename', async () => {
    const [d] = await docs(({ _ }) => ({ name: _.rename('title') }));
    expect(d.title).toBe('old');
    expect('name' in d).toBe(false);
  });

  test('push: values, each + position + slice', async () => {
    const ds = await docs(
      ({ _ }) => ({ list: _.push([4, 5]) }),
      ({ _ }) => ({ list: _.push({ each: [0], position: 0 }) }),
      ({ _ }) => ({ list: _.push({ each: [6], slice: -3 }) }),
      ({ _ }) => ({ list: _.push({ each: [9, 8], position: 1, slice: 4 }) }),
    );
    expect(ds.map((d) => d.list)).toEqual([
      [1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
      [4, 5, 6],
      [4, 9, 8, 5],
    ]);
  });

  test('pop / shift / unshift', async () => {
    const ds = await docs(
      ({ _ }) => ({ list: _.pop() }),
      ({ _ }) => ({ list: _.shift() }),
      ({ _ }) => ({ list: _.unshift([7, 8]) }),
    );
    expect(ds.map((d) => d.list)).toEqual([[1, 2], [2], [7, 8, 2]]);
  });

  // The imitation read `addToSet({ each })` like push's. The SDK passes addToSet's operand through unchanged
  // (src/command.ts addToSet; serializer/update.ts encodeArrayUpdateCommand), so several values need
  // MongoDB's own `{ $each }`, and `{ each }` adds that object itself.
  test('addToSet: single and { $each }, without duplicates; { each } adds the object', async () => {
    const ds = await docs(
      ({ _ }) => ({ set: _.addToSet('a') }),
      ({ _ }) => ({ set: _.addToSet('b') }),
      ({ _ }) => ({ set: _.addToSet({ $each: ['b', 'c', 'c'] }) }),
      ({ _ }) => ({ set: _.addToSet({ each: ['d'] }) }),
    );
    expect(ds.map((d) => d.set)).toEqual([['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', { each: ['d'] }]]);
  });

  // The imitation pulled by `_.gt(1).and(_.lt(5))`. The SDK has no encoding for a LogicCommand inside an update
  // (serializer/datatype.ts serialize: no toJSON), so it sends `{ operator: 'and', operands: … }`, which no element
  // equals; a range pull is written with the operators themselves.
  test('pull by value, by command and by object condition; a chained command pulls nothing; pullAll', async () => {
    const ds = await docs(
      ({ _ }) => ({ list: _.pull(2) }),
      ({ _ }) => ({ list: _.pull(_.gt(2)) }),
      ({ _ }) => ({ objs: _.pull({ k: _.gte(2) }) }),
      ({ _ }) => ({ list: _.push([2, 4, 7]) }),
      ({ _ }) => ({ list: _.pull(_.gt(1).and(_.lt(5))) }),
      ({ _ }) => ({ list: _.pull({ $gt: 1, $lt: 5 }) }),
      ({ _ }) => ({ list: _.pull(7) }),
      ({ _ }) => ({ list: _.push([5, 6, 5]) }),
      ({ _ }) => ({ list: _.pullAll([5, 6]) }),
    );
    expect(ds.map((d) => d.list)).toEqual([
      [1, 3],
      [1],
      [1],
      [1, 2, 4, 7],
      [1, 2, 4, 7],
      [1, 7],
      [1],
      [1, 5, 6, 5],
      [1],
    ]);
    expect(ds[2].objs).toEqual([{ k: 1 }]);
  });

  test('dotted paths and commands nested inside objects', async () => {
    const [a, b] = await docs(
      () => ({ 'obj.a': 100 }),
      ({ _ }) => ({ obj: { b: _.inc(1) } }),
    );
    expect(a.obj).toEqual({ a: 100, b: 2 });
    expect(b.obj).toEqual({ a: 100, b: 3 });
  });

  // The imitation answered -502002; the SDK refuses `_id` in update data before sending anything, as
  // INVALID_PARAM '不能更新_id的值' (@cloudbase/database src/document.ts update), i.e. errCode -501007.
  test('updating _id is refused by the SDK (errCode -501007) and sends no request', async () => {
    const before = { ...p.cloud.total };
    const e = await failure(
      p.run(async ({ db }) =>
        db
          .collection('t')
          .doc('x')
          .update({ data: { _id: 'y' } }),
      ),
    );
    expect(e.errCode).toBe(-501007);
    expect(e.errMsg).toContain('不能更新_id的值');
    expect(p.cloud.total.calls).toBe(before.calls);
  });

  test('update of a missing doc reports 0', async () => {
    const r = await p.run(async ({ db }) =>
      db
        .collection('t')
        .doc('nope')
        .update({ data: { n: 1 } }),
    );
    expect(r.stats.updated).toBe(0);
  });
});

// ───────────────────────────── reads, limits, writes ─────────────────────────────
describe('reads and writes', () => {
  test('orderBy (several keys) / skip / limit / field / count', async () => {
    const r = await p.run(async ({ db, _ }) => {
      const c = db.collection('paging');
      await c.add({
        data: [
          { _id: '1', g: 'b', n: 1, secret: 's' },
          { _id: '2', g: 'a', n: 2, secret: 's' },
          { _id: '3', g: 'b', n: 3, secret: 's' },
          { _id: '4', g: 'a', n: 4, secret: 's' },
          { _id: '5', g: 'c', n: 5, secret: 's' },
        ],
      });
      const ids = (docs: { _id: string }[]) => docs.map((d) => d._id);
      return {
        sorted: ids((await c.orderBy('g', 'asc').orderBy('n', 'desc').get()).data),
        page: ids((await c.orderBy('n', 'desc').skip(1).limit(2).get()).data),
        projected: (await c.where({ _id: '1' }).field({ n: true }).get()).data,
        excluded: (await c.where({ _id: '1' }).field({ secret: false }).get()).data,
        gte3: (await c.where({ n: _.gte(3) }).count()).total,
        all: (await c.count()).total,
      };
    });
    expect(r).toEqual({
      sorted: ['4', '2', '3', '1', '5'],
      page: ['4', '3'],
      projected: [{ _id: '1', n: 1 }],
      excluded: [{ _id: '1', g: 'b', n: 1 }],
      gte3: 3,
      all: 5,
    });
  });

  // The imitation threw on limit(0) and skip(-1). The SDK only checks Number.isInteger (src/validate.ts
  // isInteger); get() then sends `limit: 100` for a falsy limit and any truthy offset (src/query.ts get), so
  // limit(0) means the default and a negative offset is refused by the server (INVALID_PARAM, -501007).
  test('bad orderBy direction throws in the SDK; limit(0) means the default; skip(-1) is refused', async () => {
    const order = await failure(p.run(async ({ db }) => db.collection('paging').orderBy('n', 'up')));
    expect(order.message).toBe('排序字符不合法');
    expect(await p.run(async ({ db }) => (await db.collection('paging').limit(0).get()).data.length)).toBe(5);
    const skip = await failure(p.run(async ({ db }) => db.collection('paging').skip(-1).get()));
    expect(skip.errCode).toBe(-501007);
  });

  test('get() returns 100 by default and at most 1000; skip past the end returns the rest', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('many');
      await c.add({ data: Array.from({ length: 1100 }, (_x, i) => ({ i })) });
      const n = async (q: Any) => (await q.get()).data.length;
      return [
        (await c.count()).total,
        await n(c),
        await n(c.limit(250)),
        await n(c.limit(1000)),
        await n(c.limit(5000)),
        await n(c.skip(1050).limit(1000)),
      ];
    });
    expect(r).toEqual([1100, 100, 250, 1000, 1000, 50]);
  });

  test('where().update() reports stats.updated: matches, no match, no change', async () => {
    const r = await p.run(async ({ db, _ }) => {
      const c = db.collection('wu');
      await c.add({
        data: [
          { _id: 'a', n: 1, f: 'x' },
          { _id: 'b', n: 2, f: 'x' },
          { _id: 'c', n: 3, f: 'y' },
        ],
      });
      const two = (await c.where({ f: 'x' }).update({ data: { n: _.inc(10) } })).stats.updated;
      const a = (await c.doc('a').get()).data.n;
      const cN = (await c.doc('c').get()).data.n;
      const none = (await c.where({ f: 'nope' }).update({ data: { n: 0 } })).stats.updated;
      // Matches, but the value is already there: nothing changes, nothing is counted.
      const same = (await c.where({ f: 'y' }).update({ data: { n: 3 } })).stats.updated;
      const one = (await c.where({ _id: 'c' }).update({ data: { n: 4 } })).stats.updated;
      return { two, a, cN, none, same, one };
    });
    expect(r).toEqual({ two: 2, a: 11, cN: 3, none: 0, same: 0, one: 1 });
  });

  // The imitation rejected with -502001. wx-server-sdk's document.get throws the string `document with _id …
  // does not exist` when the list is empty (index.js DocumentReference.get, throwOnNotFound defaults to true),
  // which toSDKError turns into errCode -1.
  test('doc().get on a missing doc rejects (errCode -1, "does not exist")', async () => {
    const e = await failure(p.run(async ({ db }) => db.collection('none').doc('missing').get()));
    expect(e.errCode).toBe(-1);
    expect(e.errMsg).toBe('document.get:fail document with _id missing does not exist');
  });

  test('doc().set creates, then replaces the whole document', async () => {
    const r = await p.run(async ({ db }) => {
      const ref = db.collection('sets').doc('k');
      const r1 = await ref.set({ data: { a: 1, b: 2 } });
      const r2 = await ref.set({ data: { c: 3 } });
      return { s1: r1.stats, s2: r2.stats, doc: (await ref.get()).data };
    });
    expect(r).toEqual({ s1: { updated: 0, created: 1 }, s2: { updated: 1, created: 0 }, doc: { _id: 'k', c: 3 } });
  });

  test('add single and array; duplicate _id rejects', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('adds');
      const one = await c.add({ data: { v: 1 } });
      const many = await c.add({ data: [{ v: 2 }, { _id: 'mine', v: 3 }] });
      let dup = null;
      try {
        await c.add({ data: { _id: 'mine', v: 4 } });
      } catch (e) {
        dup = (e as Any).errMsg;
      }
      return {
        one: one._id,
        many: many._ids,
        v1: (await c.doc(one._id).get()).data.v,
        mine: (await c.doc('mine').get()).data.v,
        dup,
        count: (await c.count()).total,
      };
    });
    expect(r.one).toMatch(/^[0-9a-f]{32}$/);
    expect(r.many).toHaveLength(2);
    expect(r.many[1]).toBe('mine');
    expect(r).toMatchObject({ v1: 1, mine: 3, count: 3 });
    expect(r.dup).toMatch(/duplicate key/);
  });

  test('remove reports stats.removed', async () => {
    const r = await p.run(async ({ db, _ }) => {
      const c = db.collection('rm');
      await c.add({
        data: [
          { _id: '1', n: 1 },
          { _id: '2', n: 2 },
          { _id: '3', n: 3 },
        ],
      });
      const removed = async (q: Any) => (await q.remove()).stats.removed;
      return [
        await removed(c.where({ n: _.gte(2) })),
        await removed(c.where({ n: _.gte(2) })),
        await removed(c.doc('1')),
        await removed(c.doc('1')),
        (await c.count()).total,
      ];
    });
    expect(r).toEqual([2, 0, 1, 0, 0]);
  });

  test('serverDate is stored as a Date (with offset), also inside updates, and is comparable in queries', async () => {
    const before = Date.now();
    const r = await p.run(
      async ({ db }, a: { before: number }) => {
        const c = db.collection('dates');
        const { _id } = await c.add({ data: { at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) } });
        const doc = (await c.doc(_id).get()).data;
        await c.doc(_id).update({ data: { touched: db.serverDate() } });
        const touched = (await c.doc(_id).get()).data.touched;
        const since = (await c.where({ at: db.command.gte(new Date(a.before)) }).count()).total;
        return { at: doc.at, later: doc.later, touched, since };
      },
      { before },
    );
    expect(r.at).toBeInstanceOf(Date);
    expect(r.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(r.at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(r.later.getTime() - r.at.getTime()).toBe(60_000);
    expect(r.touched).toBeInstanceOf(Date);
    expect(r.since).toBe(1);
  });

  // The imitation refused commands in add() data with -502002. The SDK checks only set() (document.ts set:
  // checkMixed → DATABASE_REQUEST_FAILED 'update operator complicit', -502001, no request); add() serializes
  // an UpdateCommand as the plain object it is (serializer/datatype.ts serialize), and the server stores it.
  test('commands in set() data are refused by the SDK; in add() data they are stored as plain objects', async () => {
    const col = fresh('cmds');
    const set = await failure(
      p.run(
        async ({ db, _ }, a: { col: string }) =>
          db
            .collection(a.col)
            .doc('k')
            .set({ data: { list: [_.remove()] } }),
        { col },
      ),
    );
    expect(set.errCode).toBe(-502001);
    expect(set.errMsg).toContain('update operator complicit');
    const nested = await failure(
      p.run(
        async ({ db, _ }, a: { col: string }) =>
          db
            .collection(a.col)
            .doc('k')
            .set({ data: { a: { b: _.inc(1) } } }),
        { col },
      ),
    );
    expect(nested.errCode).toBe(-502001);
    const added = await p.run(
      async ({ db, _ }, a: { col: string }) => {
        const { _id } = await db.collection(a.col).add({ data: { n: _.inc(1) } });
        const c = db.collection(a.col);
        return { doc: (await c.doc(_id).get()).data, count: (await c.count()).total };
      },
      { col },
    );
    expect(added.count).toBe(1);
    expect(added.doc.n).toMatchObject({ operator: 'inc', operands: [1] });
  });

  test('returned documents are copies: mutating one does not change the store', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('copies');
      await c.add({ data: { _id: 'x', list: [1] } });
      const d = (await c.doc('x').get()).data;
      d.list.push(2);
      return (await c.doc('x').get()).data.list;
    });
    expect(r).toEqual([1]);
  });
});

// ───────────────────────────── op counters ─────────────────────────────
describe('op counters: one per server API request', () => {
  // Runs probe code as one invocation with its own counters; also returns what the host's total saw meanwhile.
  const counted = async (fn: (s: ProbeScope) => Promise<unknown>): Promise<{ inv: Counters; total: Counters }> => {
    const inv = zeroCounters();
    const t0 = { ...p.cloud.total };
    const r = (await p.cloud.invoke(
      'probe',
      { code: fn.toString(), args: {} },
      p.cloud.ctx('probe_user', 'wx_client'),
      inv,
    )) as { ok: boolean; error?: ProbeError };
    if (!r.ok) throw new ProbeFailure(r.error ?? {});
    const total = Object.fromEntries(
      Object.entries(p.cloud.total).map(([k, v]) => [k, v - t0[k as keyof Counters]]),
    ) as unknown as Counters;
    return { inv, total };
  };

  test('reads and writes: calls, reads, writes, docsRead, docsWritten', async () => {
    const { inv, total } = await counted(async ({ db }) => {
      const c = db.collection('ops');
      await c.add({ data: [{ n: 1 }, { n: 2 }, { n: 3 }] });
      await c.get();
      await c.count();
      await c.where({ n: 2 }).update({ data: { n: 20 } });
    });
    expect(inv).toEqual({ calls: 4, reads: 2, writes: 2, tx: 0, docsRead: 3, docsWritten: 4 });
    expect(total).toEqual(inv);
  });

  test('a transaction counts start and commit (or abort) as tx, its reads and writes as such', async () => {
    const { inv } = await counted(async ({ db, _ }) => {
      await db.collection('ops_tx').add({ data: { _id: 'a', n: 0 } });
      await db.runTransaction(async (tx: Any) => {
        await tx.collection('ops_tx').doc('a').get();
        await tx
          .collection('ops_tx')
          .doc('a')
          .update({ data: { n: _.inc(1) } });
      });
      const t = await db.startTransaction();
      await t
        .collection('ops_tx')
        .doc('a')
        .update({ data: { n: _.inc(1) } });
      await t.rollback();
    });
    // add; start, get, update, commit; start, update, abort.
    expect(inv).toEqual({ calls: 8, reads: 1, writes: 3, tx: 4, docsRead: 1, docsWritten: 3 });
  });

  test('a failed write still counts as a write; a call the SDK refuses sends nothing and counts nothing', async () => {
    const { inv } = await counted(async ({ db }) => {
      await db.collection('ops_fail').add({ data: { _id: 'd' } });
      try {
        await db.collection('ops_fail').add({ data: { _id: 'd' } });
      } catch {
        /* duplicate */
      }
      try {
        await db
          .collection('ops_fail')
          .doc('d')
          .set({ data: { _id: 'd' } });
      } catch {
        /* refused by the SDK */
      }
    });
    expect(inv).toEqual({ calls: 2, reads: 0, writes: 2, tx: 0, docsRead: 0, docsWritten: 1 });
  });
});

// ───────────────────────────── aggregate ─────────────────────────────
describe('aggregate', () => {
  beforeAll(async () => {
    await p.run(async ({ db }) => {
      await db.collection('orders').add({
        data: [
          { _id: 'o1', memberId: 'm1', cat: 'tea', fee: 100, items: ['a', 'b'] },
          { _id: 'o2', memberId: 'm1', cat: 'tea', fee: 250, items: ['c'] },
          { _id: 'o3', memberId: 'm2', cat: 'cake', fee: 300, items: [] },
          { _id: 'o4', memberId: 'm3', cat: 'cake', fee: 50, items: ['a'] },
        ],
      });
      await db.collection('agg_members').add({
        data: [
          { _id: 'm1', name: 'Ann' },
          { _id: 'm2', name: 'Bo' },
          { _id: 'm3', name: 'Cy' },
        ],
      });
      await db.collection('bulk').add({ data: Array.from({ length: 30 }, (_x, i) => ({ i })) });
    });
  });

  test('match with commands + group with $.sum + sort', async () => {
    const list = await p.run(
      async ({ db, _, $ }) =>
        (
          await db
            .collection('orders')
            .aggregate()
            .match({ fee: _.gte(100) })
            .group({ _id: '$cat', total: $.sum('$fee'), n: $.sum(1) })
            .sort({ total: -1 })
            .end()
        ).list,
    );
    expect(list).toEqual([
      { _id: 'tea', total: 350, n: 2 },
      { _id: 'cake', total: 300, n: 1 },
    ]);
  });

  test('match with top-level or', async () => {
    const list = await p.run(
      async ({ db, _ }) =>
        (
          await db
            .collection('orders')
            .aggregate()
            .match(_.or([{ cat: 'cake' }, { fee: _.lt(120) }]))
            .sort({ _id: 1 })
            .end()
        ).list,
    );
    expect(list.map((d: { _id: string }) => d._id)).toEqual(['o1', 'o3', 'o4']);
  });

  test('sort + limit + project', async () => {
    const list = await p.run(
      async ({ db }) =>
        (await db.collection('orders').aggregate().sort({ fee: -1 }).limit(2).project({ _id: 0, fee: 1 }).end()).list,
    );
    expect(list).toEqual([{ fee: 300 }, { fee: 250 }]);
  });

  test('unwind', async () => {
    const list = await p.run(
      async ({ db }) =>
        (
          await db
            .collection('orders')
            .aggregate()
            .unwind('$items')
            .sort({ _id: 1, items: 1 })
            .project({ items: 1 })
            .end()
        ).list,
    );
    expect(list).toEqual([
      { _id: 'o1', items: 'a' },
      { _id: 'o1', items: 'b' },
      { _id: 'o2', items: 'c' },
      { _id: 'o4', items: 'a' },
    ]);
  });

  test('lookup joins another collection', async () => {
    const list = await p.run(
      async ({ db, _ }) =>
        (
          await db
            .collection('orders')
            .aggregate()
            .match({ _id: _.in(['o2', 'o3']) })
            .lookup({ from: 'agg_members', localField: 'memberId', foreignField: '_id', as: 'member' })
            .sort({ _id: 1 })
            .project({ name: '$member.name' })
            .end()
        ).list,
    );
    expect(list).toEqual([
      { _id: 'o2', name: ['Ann'] },
      { _id: 'o3', name: ['Bo'] },
    ]);
  });

  test('count stage', async () => {
    const list = await p.run(
      async ({ db }) => (await db.collection('orders').aggregate().match({ cat: 'cake' }).count('n').end()).list,
    );
    expect(list).toEqual([{ n: 2 }]);
  });

  test('without a limit stage at most 20 results come back; with one, more', async () => {
    const r = await p.run(async ({ db }) => [
      (await db.collection('bulk').aggregate().end()).list.length,
      (await db.collection('bulk').aggregate().sort({ i: 1 }).end()).list.length,
      (await db.collection('bulk').aggregate().limit(25).end()).list.length,
    ]);
    expect(r).toEqual([20, 20, 25]);
  });
});

// ───────────────────────────── transactions ─────────────────────────────
describe('transactions', () => {
  test('commit applies every write', async () => {
    const r = await p.run(async ({ db }) => {
      await db.collection('acc1').add({
        data: [
          { _id: 'a', bal: 100 },
          { _id: 'b', bal: 0 },
        ],
      });
      const out = await db.runTransaction(async (tx: Any) => {
        const a = (await tx.collection('acc1').doc('a').get()).data;
        await tx
          .collection('acc1')
          .doc('a')
          .update({ data: { bal: a.bal - 30 } });
        await tx
          .collection('acc1')
          .doc('b')
          .update({ data: { bal: db.command.inc(30) } });
        await tx.collection('log1').add({ data: { _id: 'l1', amount: 30 } });
        return 'done';
      });
      const bal = async (id: string) => (await db.collection('acc1').doc(id).get()).data.bal;
      const log = (await db.collection('log1').doc('l1').get()).data.amount;
      return { out, a: await bal('a'), b: await bal('b'), log };
    });
    expect(r).toEqual({ out: 'done', a: 70, b: 30, log: 30 });
  });

  test('reads inside a transaction see its own writes; outside sees nothing until commit', async () => {
    const r = await p.run(async ({ db }) => {
      await db.collection('own').add({ data: { _id: 'x', n: 1 } });
      let inside = 0;
      let outside = 0;
      await db.runTransaction(async (tx: Any) => {
        await tx
          .collection('own')
          .doc('x')
          .update({ data: { n: 2 } });
        inside = (await tx.collection('own').doc('x').get()).data.n;
        outside = (await db.collection('own').doc('x').get()).data.n;
      });
      return { inside, outside, after: (await db.collection('own').doc('x').get()).data.n };
    });
    expect(r).toEqual({ inside: 2, outside: 1, after: 2 });
  });

  test('a throw in the callback applies nothing and releases the locks', async () => {
    const r = await p.run(async ({ db }) => {
      await db.collection('acc3').add({ data: { _id: 'a', bal: 100 } });
      let thrown = '';
      try {
        await db.runTransaction(async (tx: Any) => {
          await tx
            .collection('acc3')
            .doc('a')
            .update({ data: { bal: 0 } });
          await tx.collection('other3').add({ data: { _id: 'o' } });
          throw new Error('boom');
        });
      } catch (e) {
        thrown = (e as Error).message;
      }
      const bal = (await db.collection('acc3').doc('a').get()).data.bal;
      const other = (await db.collection('other3').where({ _id: 'o' }).get()).data.length;
      // Locks were released: a later transaction on the same doc works at once.
      await db.runTransaction(async (tx: Any) => {
        await tx
          .collection('acc3')
          .doc('a')
          .update({ data: { bal: 1 } });
      }, 1);
      return { thrown, bal, other, after: (await db.collection('acc3').doc('a').get()).data.bal };
    });
    expect(r).toEqual({ thrown: 'boom', bal: 100, other: 0, after: 1 });
  });

  test('rollback(v) makes runTransaction reject with v itself and applies nothing', async () => {
    const r = await p.run(async ({ db }) => {
      await db.collection('acc4').add({ data: { _id: 'a', bal: 100 } });
      const reason = { code: 'NOT_ENOUGH' };
      let same = false;
      try {
        await db.runTransaction(async (tx: Any) => {
          await tx
            .collection('acc4')
            .doc('a')
            .update({ data: { bal: -5 } });
          await tx.rollback(reason);
        });
      } catch (e) {
        same = e === reason;
      }
      return { same, bal: (await db.collection('acc4').doc('a').get()).data.bal };
    });
    expect(r).toEqual({ same: true, bal: 100 });
  });

  test('startTransaction: commit applies; rollback() resolves and discards the writes and the lock', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('st');
      await c.add({ data: { _id: 'x', n: 0 } });
      const t1 = await db.startTransaction();
      await t1
        .collection('st')
        .doc('x')
        .update({ data: { n: 1 } });
      await t1.commit();
      const committed = (await c.doc('x').get()).data.n;
      const t2 = await db.startTransaction();
      await t2
        .collection('st')
        .doc('x')
        .update({ data: { n: 2 } });
      const rolledBack = await t2.rollback();
      const afterRollback = (await c.doc('x').get()).data.n;
      await db.runTransaction(async (tx: Any) => {
        await tx
          .collection('st')
          .doc('x')
          .update({ data: { n: 3 } });
      }, 1);
      const last = (await c.doc('x').get()).data.n;
      return { committed, rolledBack: typeof rolledBack.requestId, afterRollback, last };
    });
    expect(r).toEqual({ committed: 1, rolledBack: 'string', afterRollback: 1, last: 3 });
  });

  test('a failed commit (unique index) applies nothing', async () => {
    const r = await p.run(async ({ db }) => {
      await db.collection('u').add({ data: { _id: 'taken', k: 'K' } });
      let msg = '';
      try {
        await db.runTransaction(async (tx: Any) => {
          await tx.collection('u').add({ data: { _id: 'first', k: 'fresh' } });
          await tx.collection('u').add({ data: { _id: 'second', k: 'K' } });
        });
      } catch (e) {
        msg = (e as Error).message;
      }
      return { msg, count: (await db.collection('u').count()).total };
    });
    expect(r.msg).toMatch(/duplicate key.*k_unique/);
    expect(r.count).toBe(1);
  });

  // The imitation detected conflicts at commit and marked them `code: 'DATABASE_TRANSACTION_CONFLICT'`. CloudBase
  // fails the conflicting write itself (docs.cloudbase.net/database/transaction); inside the callback that write
  // rejects as wx-server-sdk's CloudSDKError (SYS_ERR mapping: errCode -501001, no `code`), so
  // @cloudbase/database runTransaction (src/transaction/index.ts) does not retry it: `error.code` is undefined.
  test('two overlapping transactions: the second writer fails at its write, errCode -501001 (times=1)', async () => {
    await p.run(async ({ db }) => db.collection('ov').add({ data: { _id: 'x', n: 0 } }));
    const results = await behindGate('ov', 2, () =>
      [0, 1].map(() =>
        p.run(async ({ db, _ }) => {
          const arrive = async (g: string) => {
            await db.collection('barrier').add({ data: { g } });
            await db
              .collection('gates')
              .doc(g)
              .update({ data: { passed: _.inc(1) } });
          };
          await db.runTransaction(async (tx: Any) => {
            const d = (await tx.collection('ov').doc('x').get()).data;
            await arrive('ov'); // both have read before either writes
            await tx
              .collection('ov')
              .doc('x')
              .update({ data: { n: d.n + 1 } });
          }, 1);
        }),
      ),
    );
    const failed = rejected(results);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.errCode).toBe(-501001);
    expect(failed[0]?.errMsg).toMatch(/^document\.update:fail -501001 .*transaction conflict/);
    expect(failed[0]?.code).toBeUndefined();
    expect(await p.run(async ({ db }) => (await db.collection('ov').doc('x').get()).data.n)).toBe(1);
  });

  test("a write outside the transaction to a doc it read makes the transaction's write conflict", async () => {
    const r = await p.run(async ({ db }) => {
      await db.collection('outw').add({ data: { _id: 'x', n: 0 } });
      let err: Any = null;
      let reached = false;
      try {
        await db.runTransaction(async (tx: Any) => {
          const d = (await tx.collection('outw').doc('x').get()).data;
          await db
            .collection('outw')
            .doc('x')
            .update({ data: { n: 100 } });
          await tx
            .collection('outw')
            .doc('x')
            .update({ data: { n: d.n + 1 } });
          reached = true;
        }, 1);
      } catch (e) {
        err = e;
      }
      return { errCode: err && err.errCode, reached, n: (await db.collection('outw').doc('x').get()).data.n };
    });
    expect(r).toEqual({ errCode: -501001, reached: false, n: 100 });
  });

  // Every one of N transactions reads the counter, waits until all N have read, then writes it back + 1.
  const racingIncrements = (n: number, group: string, times: number, appRetries: boolean) =>
    behindGate(group, n, () =>
      Array.from({ length: n }, () =>
        p.run(
          async (
            { db, _ },
            a: {
              g: string;
              times: number;
              appRetries: boolean;
            },
          ) => {
            const arrive = async (g: string) => {
              await db.collection('barrier').add({ data: { g } });
              await db
                .collection('gates')
                .doc(g)
                .update({ data: { passed: _.inc(1) } });
            };
            let arrived = false;
            const runs: number[] = [];
            for (;;) {
              let callbackRuns = 0;
              try {
                await db.runTransaction(async (tx: Any) => {
                  callbackRuns++;
                  const d = (await tx.collection('ctr').doc(a.g).get()).data;
                  if (!arrived) {
                    arrived = true;
                    await arrive(a.g);
                  }
                  await tx
                    .collection('ctr')
                    .doc(a.g)
                    .update({ data: { n: d.n + 1 } });
                }, a.times);
                runs.push(callbackRuns);
                return { ok: true, runs };
              } catch (e) {
                runs.push(callbackRuns);
                const errCode = (e as Any).errCode;
                if (!a.appRetries || errCode !== -501001) return { ok: false, errCode, runs };
              }
            }
          },
          { g: group, times, appRetries },
        ),
      ),
    );

  const counter = (id: string) =>
    p.run(async ({ db }, a: { id: string }) => (await db.collection('ctr').doc(a.id).get()).data.n, { id });

  test('20 concurrent transactional increments (times=3): one wins, 19 fail at the write, none retried', async () => {
    await p.run(async ({ db }) => db.collection('ctr').add({ data: { _id: 'c20', n: 0 } }));
    const results = await racingIncrements(20, 'c20', 3, false);
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : { ok: false, errCode: 0, runs: [] }));
    expect(values.filter((v) => v.ok)).toHaveLength(1);
    for (const v of values.filter((x) => !x.ok)) expect(v.errCode).toBe(-501001);
    // A conflict at the write is never retried by the SDK, whatever `times` says: one callback run each.
    expect(values.map((v) => v.runs)).toEqual(Array.from({ length: 20 }, () => [1]));
    expect(await counter('c20')).toBe(1);
  });

  test('times=100 does not help; retrying -501001 in the application makes all 20 succeed, none lost', async () => {
    await p.run(async ({ db }) => db.collection('ctr').add({ data: { _id: 'c20r', n: 0 } }));
    const results = await racingIncrements(20, 'c20r', 100, true);
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : { ok: false, errCode: 0, runs: [] }));
    expect(values.every((v) => v.ok)).toBe(true);
    expect(await counter('c20r')).toBe(20);
    const attempts = values.flatMap((v) => v.runs);
    expect(attempts.every((k) => k === 1)).toBe(true); // each runTransaction ran its callback once
    expect(attempts.length).toBeGreaterThanOrEqual(20 + 19); // at least 19 lost the first round and tried again
  });

  // What runTransaction does retry: a conflict answered by commitTransaction (the raw @cloudbase/node-sdk error,
  // `code: 'DATABASE_TRANSACTION_CONFLICT'`). Here the callback swallows its failed write, so the aborted
  // transaction's commit is what reports the conflict, and the SDK runs the callback again.
  test('a conflict surfacing at commit is retried by runTransaction', async () => {
    const r = await p.run(async ({ db, _ }) => {
      const c = db.collection('cc');
      await c.add({
        data: [
          { _id: 'held', v: 0 },
          { _id: 'free', v: 0 },
        ],
      });
      const holder = await db.startTransaction();
      await holder
        .collection('cc')
        .doc('held')
        .update({ data: { v: 1 } });
      let runs = 0;
      let swallowed = 0;
      await db.runTransaction(async (tx: Any) => {
        runs++;
        await tx
          .collection('cc')
          .doc('free')
          .update({ data: { v: _.inc(1) } });
        if (runs === 1) {
          try {
            await tx
              .collection('cc')
              .doc('held')
              .update({ data: { v: 2 } });
          } catch (e) {
            swallowed = (e as Any).errCode;
          }
        }
      }, 1);
      await holder.rollback();
      return { runs, swallowed, free: (await c.doc('free').get()).data.v, held: (await c.doc('held').get()).data.v };
    });
    expect(r).toEqual({ runs: 2, swallowed: -501001, free: 1, held: 0 });
  });
});

// ───────────────────────────── unique indexes ─────────────────────────────
describe('unique indexes', () => {
  test('50 concurrent adds of the same unique key: exactly one succeeds', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_x, i) =>
        p.run(
          async ({ db }, a: { i: number }) => db.collection('race_members').add({ data: { openid: 'o1', i: a.i } }),
          { i },
        ),
      ),
    );
    const failed = rejected(results);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(failed).toHaveLength(49);
    for (const f of failed) {
      expect(f.errCode).toBe(-502001);
      expect(f.errMsg).toMatch(/duplicate key.*openid_unique/);
    }
    const count = await p.run(
      async ({ db }) => (await db.collection('race_members').where({ openid: 'o1' }).count()).total,
    );
    expect(count).toBe(1);
  });

  test('an update or set duplicating a unique key is refused, changes nothing; old keys are freed', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('members');
      await c.add({
        data: [
          { _id: 'a', openid: 'A' },
          { _id: 'b', openid: 'B' },
        ],
      });
      const errors: string[] = [];
      try {
        await c.doc('b').update({ data: { openid: 'A' } });
      } catch (e) {
        errors.push((e as Any).errMsg);
      }
      try {
        await c.doc('b').set({ data: { openid: 'A' } });
      } catch (e) {
        errors.push((e as Any).errMsg);
      }
      const b = (await c.doc('b').get()).data.openid;
      // The old key is freed when a document changes its key, and when it is removed.
      await c.doc('b').update({ data: { openid: 'C' } });
      await c.add({ data: { _id: 'd', openid: 'B' } });
      await c.doc('a').remove();
      await c.add({ data: { _id: 'e', openid: 'A' } });
      return { errors, b, count: (await c.count()).total };
    });
    expect(r.errors).toHaveLength(2);
    for (const e of r.errors) expect(e).toMatch(/duplicate key/);
    expect(r).toMatchObject({ b: 'B', count: 3 });
  });

  test('compound unique index: different combinations are allowed, the same one is not', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('checkins');
      await c.add({ data: { memberId: 'm1', day: '2026-11-01' } });
      await c.add({ data: { memberId: 'm1', day: '2026-11-02' } });
      await c.add({ data: { memberId: 'm2', day: '2026-11-01' } });
      let dup = '';
      try {
        await c.add({ data: { memberId: 'm1', day: '2026-11-01' } });
      } catch (e) {
        dup = (e as Any).errMsg;
      }
      return { dup, count: (await c.count()).total };
    });
    expect(r.dup).toMatch(/duplicate key.*member_day_unique/);
    expect(r.count).toBe(3);
  });

  test('a missing field counts as null: two docs without the field conflict', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('bind');
      await c.add({ data: { name: 'no phone 1' } });
      const dups: string[] = [];
      try {
        await c.add({ data: { name: 'no phone 2' } });
      } catch (e) {
        dups.push((e as Any).errMsg);
      }
      try {
        await c.add({ data: { name: 'explicit null', phone: null } });
      } catch (e) {
        dups.push((e as Any).errMsg);
      }
      await c.add({ data: { name: 'has phone', phone: '138' } });
      return { dups, count: (await c.count()).total };
    });
    expect(r.dups).toHaveLength(2);
    for (const e of r.dups) expect(e).toMatch(/duplicate key/);
    expect(r.count).toBe(2);
  });

  test('non-unique indexes do not restrict anything', async () => {
    const n = await p.run(async ({ db }) => {
      const doc = { status: 'paid', createdAt: 1 };
      await db.collection('indexed_orders').add({ data: [doc, doc] });
      return (await db.collection('indexed_orders').count()).total;
    });
    expect(n).toBe(2);
  });
});

// ───────────────────────────── the oversell pair ─────────────────────────────
describe('oversell: the emulator reproduces the race and the conditional update prevents it', () => {
  test('naive get-then-update oversells (20 buyers read stock 10 before any of them writes)', async () => {
    await p.run(async ({ db }) => db.collection('products').add({ data: { _id: 'naive', stock: 10 } }));
    const results = await behindGate('naive', 20, () =>
      Array.from({ length: 20 }, () =>
        p.run(async ({ db, _ }) => {
          const { data } = await db.collection('products').doc('naive').get();
          const s = data.stock as number;
          await db.collection('barrier').add({ data: { g: 'naive' } });
          await db
            .collection('gates')
            .doc('naive')
            .update({ data: { passed: _.inc(1) } });
          if (s < 1) return false;
          await db
            .collection('products')
            .doc('naive')
            .update({ data: { stock: s - 1 } });
          return true;
        }),
      ),
    );
    const sold = results.filter((r) => r.status === 'fulfilled' && r.value).length;
    expect(rejected(results)).toEqual([]);
    expect(sold).toBe(20);
    expect(await p.run(async ({ db }) => (await db.collection('products').doc('naive').get()).data.stock)).toBe(9);
  });

  test('conditional where({ _id, stock: gte(1) }).update(inc(-1)): 50 buyers, exactly the stock is sold', async () => {
    await p.run(async ({ db }) => db.collection('products').add({ data: { _id: 'cond', stock: 10 } }));
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        p.run(async ({ db, _ }) => {
          const r = await db
            .collection('products')
            .where({ _id: 'cond', stock: _.gte(1) })
            .update({ data: { stock: _.inc(-1) } });
          return r.stats.updated === 1;
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await p.run(async ({ db }) => (await db.collection('products').doc('cond').get()).data.stock)).toBe(0);
  });
});
