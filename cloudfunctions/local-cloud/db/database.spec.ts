// The database emulator against the wx-server-sdk API: query and update commands, limits,
// aggregation, transactions, unique indexes, and the read-then-write race it must reproduce.
import { Database, isConflict } from './database';
import { Engine, IndexSpec } from './engine';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function fresh(indexes: Record<string, IndexSpec[]> = {}) {
  const engine = new Engine({ indexes });
  const db = new Database(engine);
  return { engine, db, _: db.command as Any };
}

const ids = (docs: { _id: string }[]) => docs.map((d) => d._id).sort();
const isDate = (v: unknown) => Object.prototype.toString.call(v) === '[object Date]';

// ───────────────────────────── query commands ─────────────────────────────
describe('query commands', () => {
  const { db, _ } = fresh();
  const c = db.collection('items');

  beforeAll(async () => {
    await c.add({ data: [
      { _id: 'a', n: 1, tags: ['x', 'y'], meta: { color: 'red', size: 1 }, maybe: 1, arr: [{ k: 1, v: 'p' }, { k: 5, v: 'q' }] },
      { _id: 'b', n: 2, tags: ['y'], meta: { color: 'blue', size: 2 }, arr: [{ k: 2, v: 'p' }] },
      { _id: 'c', n: 3, tags: ['x', 'y', 'z'], meta: { color: 'red', size: 3 }, maybe: null, arr: [] },
      { _id: 'd', n: 4, tags: [], meta: { color: 'green', size: 4 }, arr: [{ k: 9, v: 'r' }] },
      { _id: 'e', n: 5, tags: ['z'], meta: { color: 'red', size: 5, deep: { on: true } }, arr: [{ k: 3, v: 'q' }] },
    ] });
  });

  const q = async (where: unknown) => ids((await c.where(where).get()).data);

  test('eq / neq', async () => {
    expect(await q({ n: _.eq(3) })).toEqual(['c']);
    expect(await q({ n: _.neq(3) })).toEqual(['a', 'b', 'd', 'e']);
    expect(await q({ n: 3 })).toEqual(['c']);
  });

  test('gt / gte / lt / lte', async () => {
    expect(await q({ n: _.gt(3) })).toEqual(['d', 'e']);
    expect(await q({ n: _.gte(3) })).toEqual(['c', 'd', 'e']);
    expect(await q({ n: _.lt(3) })).toEqual(['a', 'b']);
    expect(await q({ n: _.lte(3) })).toEqual(['a', 'b', 'c']);
  });

  test('in / nin', async () => {
    expect(await q({ n: _.in([1, 4, 99]) })).toEqual(['a', 'd']);
    expect(await q({ n: _.nin([1, 4]) })).toEqual(['b', 'c', 'e']);
    // On an array field, `in` matches when any element is in the list.
    expect(await q({ tags: _.in(['z']) })).toEqual(['c', 'e']);
  });

  test('exists (null counts as existing)', async () => {
    expect(await q({ maybe: _.exists(true) })).toEqual(['a', 'c']);
    expect(await q({ maybe: _.exists(false) })).toEqual(['b', 'd', 'e']);
  });

  test('mod (divisor, remainder)', async () => {
    expect(await q({ n: _.mod(2, 0) })).toEqual(['b', 'd']);
    expect(await q({ n: _.mod(3, 1) })).toEqual(['a', 'd']);
  });

  test('all / size', async () => {
    expect(await q({ tags: _.all(['x', 'y']) })).toEqual(['a', 'c']);
    expect(await q({ tags: _.size(0) })).toEqual(['d']);
    expect(await q({ tags: _.size(3) })).toEqual(['c']);
  });

  test('elemMatch with commands inside', async () => {
    expect(await q({ arr: _.elemMatch({ k: _.gte(3), v: 'q' }) })).toEqual(['a', 'e']);
    // Both conditions on the same element: a has k=5 (q) but not k≥5 with v=p.
    expect(await q({ arr: _.elemMatch({ k: _.gte(5), v: 'p' }) })).toEqual([]);
  });

  test('field-level chains: gt().and(lt()), gt().or(lt()), _.and / _.or / _.nor on a field', async () => {
    expect(await q({ n: _.gt(1).and(_.lt(5)) })).toEqual(['b', 'c', 'd']);
    expect(await q({ n: _.lt(2).or(_.gt(4)) })).toEqual(['a', 'e']);
    expect(await q({ n: _.and(_.gte(2), _.lte(3)) })).toEqual(['b', 'c']);
    expect(await q({ n: _.or([_.eq(1), _.eq(5)]) })).toEqual(['a', 'e']);
    expect(await q({ n: _.nor([_.eq(1), _.eq(5)]) })).toEqual(['b', 'c', 'd']);
  });

  test('not on a field', async () => {
    expect(await q({ n: _.not(_.gt(2)) })).toEqual(['a', 'b']);
  });

  test('top-level _.or / _.and / _.nor over whole conditions', async () => {
    expect(await q(_.or([{ n: 1 }, { 'meta.color': 'green' }]))).toEqual(['a', 'd']);
    expect(await q(_.or({ n: 1 }, { n: _.gt(4) }))).toEqual(['a', 'e']);
    expect(await q(_.and([{ 'meta.color': 'red' }, { n: _.gt(1) }]))).toEqual(['c', 'e']);
    expect(await q(_.nor([{ 'meta.color': 'red' }, { n: 2 }]))).toEqual(['d']);
  });

  test('nested object where matches by path (not whole-object equality)', async () => {
    // Only `color` is given: docs whose meta has other fields still match.
    expect(await q({ meta: { color: 'red' } })).toEqual(['a', 'c', 'e']);
    expect(await q({ meta: { color: 'red', size: _.gt(2) } })).toEqual(['c', 'e']);
    expect(await q({ meta: { deep: { on: true } } })).toEqual(['e']);
  });

  test("'a.b' dotted keys", async () => {
    expect(await q({ 'meta.size': _.lte(2) })).toEqual(['a', 'b']);
    expect(await q({ 'meta.deep.on': true })).toEqual(['e']);
    expect(await q({ 'arr.k': 9 })).toEqual(['d']);
  });

  test('db.RegExp', async () => {
    expect(await q({ 'meta.color': db.RegExp({ regexp: '^R', options: 'i' }) })).toEqual(['a', 'c', 'e']);
  });

  test('empty where matches everything; several fields AND together', async () => {
    expect(await q({})).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await q({ 'meta.color': 'red', n: _.lt(5) })).toEqual(['a', 'c']);
  });

  test('an update command in a query is refused', async () => {
    await expect(c.where({ n: _.inc(1) }).get()).rejects.toMatchObject({ errCode: -502002 });
  });
});

// ───────────────────────────── update commands ─────────────────────────────
describe('update commands', () => {
  let db: Database;
  let _: Any;
  beforeEach(async () => {
    ({ db, _ } = fresh());
    await db.collection('t').add({ data: {
      _id: 'x', n: 10, name: 'old', list: [1, 2, 3], set: ['a'], obj: { a: 1, b: 2 }, objs: [{ k: 1 }, { k: 2 }, { k: 3 }],
    } });
  });
  const upd = async (data: unknown) => {
    const r = await db.collection('t').doc('x').update({ data });
    return { r, doc: (await db.collection('t').doc('x').get()).data as Any };
  };

  test('plain values set fields', async () => {
    const { r, doc } = await upd({ name: 'new', extra: true });
    expect(r.stats.updated).toBe(1);
    expect(doc).toMatchObject({ name: 'new', extra: true, n: 10 });
  });

  test('nested plain object merges by path; _.set replaces the object', async () => {
    let { doc } = await upd({ obj: { b: 20, c: 30 } });
    expect(doc.obj).toEqual({ a: 1, b: 20, c: 30 });
    ({ doc } = await upd({ obj: _.set({ only: 1 }) }));
    expect(doc.obj).toEqual({ only: 1 });
  });

  test('remove', async () => {
    const { doc } = await upd({ name: _.remove() });
    expect('name' in doc).toBe(false);
  });

  test('inc / mul', async () => {
    let { doc } = await upd({ n: _.inc(5) });
    expect(doc.n).toBe(15);
    ({ doc } = await upd({ n: _.mul(2) }));
    expect(doc.n).toBe(30);
    ({ doc } = await upd({ n: _.inc(-31) }));
    expect(doc.n).toBe(-1);
  });

  test('min / max', async () => {
    let { doc } = await upd({ n: _.min(20) });
    expect(doc.n).toBe(10);
    ({ doc } = await upd({ n: _.min(3) }));
    expect(doc.n).toBe(3);
    ({ doc } = await upd({ n: _.max(2) }));
    expect(doc.n).toBe(3);
    ({ doc } = await upd({ n: _.max(99) }));
    expect(doc.n).toBe(99);
  });

  test('rename', async () => {
    const { doc } = await upd({ name: _.rename('title') });
    expect(doc.title).toBe('old');
    expect('name' in doc).toBe(false);
  });

  test('push: values, each + position + slice', async () => {
    let { doc } = await upd({ list: _.push([4, 5]) });
    expect(doc.list).toEqual([1, 2, 3, 4, 5]);
    ({ doc } = await upd({ list: _.push({ each: [0], position: 0 }) }));
    expect(doc.list).toEqual([0, 1, 2, 3, 4, 5]);
    ({ doc } = await upd({ list: _.push({ each: [6], slice: -3 }) }));
    expect(doc.list).toEqual([4, 5, 6]);
    ({ doc } = await upd({ list: _.push({ each: [9, 8], position: 1, slice: 4 }) }));
    expect(doc.list).toEqual([4, 9, 8, 5]);
  });

  test('pop / shift / unshift', async () => {
    let { doc } = await upd({ list: _.pop() });
    expect(doc.list).toEqual([1, 2]);
    ({ doc } = await upd({ list: _.shift() }));
    expect(doc.list).toEqual([2]);
    ({ doc } = await upd({ list: _.unshift([7, 8]) }));
    expect(doc.list).toEqual([7, 8, 2]);
  });

  test('addToSet: single and each, without duplicates', async () => {
    let { doc } = await upd({ set: _.addToSet('a') });
    expect(doc.set).toEqual(['a']);
    ({ doc } = await upd({ set: _.addToSet('b') }));
    expect(doc.set).toEqual(['a', 'b']);
    ({ doc } = await upd({ set: _.addToSet({ each: ['b', 'c', 'c'] }) }));
    expect(doc.set).toEqual(['a', 'b', 'c']);
  });

  test('pull by value, by command and by object condition; pullAll', async () => {
    let { doc } = await upd({ list: _.pull(2) });
    expect(doc.list).toEqual([1, 3]);
    ({ doc } = await upd({ list: _.pull(_.gt(2)) }));
    expect(doc.list).toEqual([1]);
    ({ doc } = await upd({ objs: _.pull({ k: _.gte(2) }) }));
    expect(doc.objs).toEqual([{ k: 1 }]);
    await upd({ list: _.push([2, 4, 7]) });
    ({ doc } = await upd({ list: _.pull(_.gt(1).and(_.lt(5))) }));
    expect(doc.list).toEqual([1, 7]);
    await upd({ list: _.pull(7) });
    await upd({ list: _.push([5, 6, 5]) });
    ({ doc } = await upd({ list: _.pullAll([5, 6]) }));
    expect(doc.list).toEqual([1]);
  });

  test('dotted paths and commands nested inside objects', async () => {
    let { doc } = await upd({ 'obj.a': 100 });
    expect(doc.obj).toEqual({ a: 100, b: 2 });
    ({ doc } = await upd({ obj: { b: _.inc(1) } }));
    expect(doc.obj).toEqual({ a: 100, b: 3 });
  });

  test('updating _id is refused', async () => {
    await expect(db.collection('t').doc('x').update({ data: { _id: 'y' } })).rejects.toMatchObject({ errCode: -502002 });
  });

  test('update of a missing doc reports 0', async () => {
    const r = await db.collection('t').doc('nope').update({ data: { n: 1 } });
    expect(r.stats.updated).toBe(0);
  });
});

// ───────────────────────────── reads, limits, writes ─────────────────────────────
describe('reads and writes', () => {
  test('orderBy (several keys) / skip / limit / field / count', async () => {
    const { db, _ } = fresh();
    const c = db.collection('p');
    await c.add({ data: [
      { _id: '1', g: 'b', n: 1, secret: 's' }, { _id: '2', g: 'a', n: 2, secret: 's' }, { _id: '3', g: 'b', n: 3, secret: 's' },
      { _id: '4', g: 'a', n: 4, secret: 's' }, { _id: '5', g: 'c', n: 5, secret: 's' },
    ] });
    const r = await c.orderBy('g', 'asc').orderBy('n', 'desc').get();
    expect(r.data.map((d) => d._id)).toEqual(['4', '2', '3', '1', '5']);
    const page = await c.orderBy('n', 'desc').skip(1).limit(2).get();
    expect(page.data.map((d) => d._id)).toEqual(['4', '3']);
    const projected = await c.where({ _id: '1' }).field({ n: true }).get();
    expect(projected.data).toEqual([{ _id: '1', n: 1 }]);
    const excluded = await c.where({ _id: '1' }).field({ secret: false }).get();
    expect(excluded.data).toEqual([{ _id: '1', g: 'b', n: 1 }]);
    expect((await c.where({ n: _.gte(3) }).count()).total).toBe(3);
    expect((await c.count()).total).toBe(5);
    expect(() => c.orderBy('n', 'up' as Any)).toThrow();
    expect(() => c.limit(0)).toThrow();
    expect(() => c.skip(-1)).toThrow();
  });

  test('get() returns 100 by default and at most 1000', async () => {
    const { db } = fresh();
    const c = db.collection('many');
    await c.add({ data: Array.from({ length: 1100 }, (_x, i) => ({ i })) });
    expect((await c.count()).total).toBe(1100);
    expect((await c.get()).data).toHaveLength(100);
    expect((await c.limit(250).get()).data).toHaveLength(250);
    expect((await c.limit(1000).get()).data).toHaveLength(1000);
    expect((await c.limit(5000).get()).data).toHaveLength(1000);
    expect((await c.skip(1050).limit(1000).get()).data).toHaveLength(50);
  });

  test('where().update() reports stats.updated: matches, no match, no change', async () => {
    const { db, _ } = fresh();
    const c = db.collection('u');
    await c.add({ data: [{ _id: 'a', n: 1, f: 'x' }, { _id: 'b', n: 2, f: 'x' }, { _id: 'c', n: 3, f: 'y' }] });
    expect((await c.where({ f: 'x' }).update({ data: { n: _.inc(10) } })).stats.updated).toBe(2);
    expect((await c.doc('a').get()).data.n).toBe(11);
    expect((await c.doc('c').get()).data.n).toBe(3);
    expect((await c.where({ f: 'nope' }).update({ data: { n: 0 } })).stats.updated).toBe(0);
    // Matches, but the value is already there: nothing changes, nothing is counted.
    expect((await c.where({ f: 'y' }).update({ data: { n: 3 } })).stats.updated).toBe(0);
    expect((await c.where({ _id: 'c' }).update({ data: { n: 4 } })).stats.updated).toBe(1);
  });

  test('doc().get on a missing doc rejects', async () => {
    const { db } = fresh();
    await expect(db.collection('none').doc('missing').get()).rejects.toMatchObject({ errCode: -502001 });
  });

  test('doc().set creates, then replaces the whole document', async () => {
    const { db } = fresh();
    const ref = db.collection('s').doc('k');
    const r1 = await ref.set({ data: { a: 1, b: 2 } });
    expect(r1.stats).toEqual({ updated: 0, created: 1 });
    const r2 = await ref.set({ data: { c: 3 } });
    expect(r2.stats).toEqual({ updated: 1, created: 0 });
    expect((await ref.get()).data).toEqual({ _id: 'k', c: 3 });
  });

  test('add single and array; duplicate _id rejects', async () => {
    const { db } = fresh();
    const c = db.collection('a');
    const one = (await c.add({ data: { v: 1 } })) as Any;
    expect(one._id).toMatch(/^[0-9a-f]{32}$/);
    const many = (await c.add({ data: [{ v: 2 }, { _id: 'mine', v: 3 }] })) as Any;
    expect(many._ids).toHaveLength(2);
    expect(many._ids[1]).toBe('mine');
    expect((await c.doc(one._id).get()).data.v).toBe(1);
    expect((await c.doc('mine').get()).data.v).toBe(3);
    await expect(c.add({ data: { _id: 'mine', v: 4 } })).rejects.toThrow(/duplicate key/);
    expect((await c.count()).total).toBe(3);
  });

  test('remove reports stats.removed', async () => {
    const { db, _ } = fresh();
    const c = db.collection('r');
    await c.add({ data: [{ _id: '1', n: 1 }, { _id: '2', n: 2 }, { _id: '3', n: 3 }] });
    expect((await c.where({ n: _.gte(2) }).remove()).stats.removed).toBe(2);
    expect((await c.where({ n: _.gte(2) }).remove()).stats.removed).toBe(0);
    expect((await c.doc('1').remove()).stats.removed).toBe(1);
    expect((await c.doc('1').remove()).stats.removed).toBe(0);
    expect((await c.count()).total).toBe(0);
  });

  test('serverDate is stored as a Date (with offset), also inside updates', async () => {
    const { db } = fresh();
    const c = db.collection('d');
    const before = Date.now();
    const { _id } = (await c.add({ data: { at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) } })) as Any;
    const doc = (await c.doc(_id).get()).data as Any;
    expect(isDate(doc.at)).toBe(true);
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(doc.at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
    await c.doc(_id).update({ data: { touched: db.serverDate() } });
    expect(isDate((await c.doc(_id).get()).data.touched)).toBe(true);
    // Dates are comparable in queries.
    expect((await c.where({ at: db.command.gte(new Date(before)) }).count()).total).toBe(1);
  });

  test('commands are refused inside add/set data, also when nested', async () => {
    const { db, _ } = fresh();
    const c = db.collection('n');
    await expect(c.add({ data: { n: _.inc(1) } })).rejects.toMatchObject({ errCode: -502002 });
    await expect(c.add({ data: { a: { b: _.inc(1) } } })).rejects.toMatchObject({ errCode: -502002 });
    await expect(c.doc('k').set({ data: { list: [_.remove()] } })).rejects.toMatchObject({ errCode: -502002 });
    expect((await c.count()).total).toBe(0);
  });

  test('returned documents are copies: mutating them does not change the store', async () => {
    const { db } = fresh();
    const c = db.collection('m');
    await c.add({ data: { _id: 'x', list: [1] } });
    const d = (await c.doc('x').get()).data as Any;
    d.list.push(2);
    expect((await c.doc('x').get()).data.list).toEqual([1]);
  });

  test('op counters: engine.total counts reads and writes', async () => {
    const { engine, db } = fresh();
    const c = db.collection('o');
    const t0 = { ...engine.total };
    await c.add({ data: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    expect(engine.total.writes - t0.writes).toBe(1);
    expect(engine.total.docsWritten - t0.docsWritten).toBe(3);
    await c.get();
    await c.count();
    expect(engine.total.reads - t0.reads).toBe(2);
    expect(engine.total.docsRead - t0.docsRead).toBe(3);
    await c.where({ n: 2 }).update({ data: { n: 20 } });
    expect(engine.total.writes - t0.writes).toBe(2);
    expect(engine.total.docsWritten - t0.docsWritten).toBe(4);
    expect(engine.total.calls - t0.calls).toBe(4);
  });
});

// ───────────────────────────── aggregate ─────────────────────────────
describe('aggregate', () => {
  const { db, _ } = fresh();
  const $ = _.aggregate;
  beforeAll(async () => {
    await db.collection('orders').add({ data: [
      { _id: 'o1', memberId: 'm1', cat: 'tea', fee: 100, items: ['a', 'b'] },
      { _id: 'o2', memberId: 'm1', cat: 'tea', fee: 250, items: ['c'] },
      { _id: 'o3', memberId: 'm2', cat: 'cake', fee: 300, items: [] },
      { _id: 'o4', memberId: 'm3', cat: 'cake', fee: 50, items: ['a'] },
    ] });
    await db.collection('members').add({ data: [{ _id: 'm1', name: 'Ann' }, { _id: 'm2', name: 'Bo' }, { _id: 'm3', name: 'Cy' }] });
    await db.collection('bulk').add({ data: Array.from({ length: 30 }, (_x, i) => ({ i })) });
  });

  test('match with commands + group with $.sum + sort', async () => {
    const { list } = await db.collection('orders').aggregate()
      .match({ fee: _.gte(100) })
      .group({ _id: '$cat', total: $.sum('$fee'), n: $.sum(1) })
      .sort({ total: -1 })
      .end();
    expect(list).toEqual([{ _id: 'tea', total: 350, n: 2 }, { _id: 'cake', total: 300, n: 1 }]);
  });

  test('match with nested-object where and top-level or', async () => {
    const { list } = await db.collection('orders').aggregate().match(_.or([{ cat: 'cake' }, { fee: _.lt(120) }])).sort({ _id: 1 }).end();
    expect(list.map((d) => d._id)).toEqual(['o1', 'o3', 'o4']);
  });

  test('sort + limit + project', async () => {
    const { list } = await db.collection('orders').aggregate().sort({ fee: -1 }).limit(2).project({ _id: 0, fee: 1 }).end();
    expect(list).toEqual([{ fee: 300 }, { fee: 250 }]);
  });

  test('unwind', async () => {
    const { list } = await db.collection('orders').aggregate().unwind('$items').sort({ _id: 1, items: 1 }).project({ items: 1 }).end();
    expect(list).toEqual([{ _id: 'o1', items: 'a' }, { _id: 'o1', items: 'b' }, { _id: 'o2', items: 'c' }, { _id: 'o4', items: 'a' }]);
  });

  test('lookup joins another collection', async () => {
    const { list } = await db.collection('orders').aggregate()
      .match({ _id: _.in(['o2', 'o3']) })
      .lookup({ from: 'members', localField: 'memberId', foreignField: '_id', as: 'member' })
      .sort({ _id: 1 })
      .project({ name: '$member.name' })
      .end();
    expect(list).toEqual([{ _id: 'o2', name: ['Ann'] }, { _id: 'o3', name: ['Bo'] }]);
  });

  test('count stage', async () => {
    const { list } = await db.collection('orders').aggregate().match({ cat: 'cake' }).count('n').end();
    expect(list).toEqual([{ n: 2 }]);
  });

  test('without a limit stage at most 20 results come back; with one, more', async () => {
    expect((await db.collection('bulk').aggregate().end()).list).toHaveLength(20);
    expect((await db.collection('bulk').aggregate().sort({ i: 1 }).end()).list).toHaveLength(20);
    expect((await db.collection('bulk').aggregate().limit(25).end()).list).toHaveLength(25);
  });
});

// ───────────────────────────── transactions ─────────────────────────────
describe('transactions', () => {
  test('commit applies every write', async () => {
    const { db } = fresh();
    await db.collection('acc').add({ data: [{ _id: 'a', bal: 100 }, { _id: 'b', bal: 0 }] });
    const out = await db.runTransaction(async (tx) => {
      const a = (await tx.collection('acc').doc('a').get()).data as Any;
      await tx.collection('acc').doc('a').update({ data: { bal: a.bal - 30 } });
      await tx.collection('acc').doc('b').update({ data: { bal: db.command.inc(30) } });
      await tx.collection('log').add({ data: { _id: 'l1', amount: 30 } });
      return 'done';
    });
    expect(out).toBe('done');
    expect((await db.collection('acc').doc('a').get()).data.bal).toBe(70);
    expect((await db.collection('acc').doc('b').get()).data.bal).toBe(30);
    expect((await db.collection('log').doc('l1').get()).data.amount).toBe(30);
  });

  test('reads inside a transaction see its own writes; outside sees nothing until commit', async () => {
    const { db } = fresh();
    await db.collection('c').add({ data: { _id: 'x', n: 1 } });
    let outsideDuring: number | undefined;
    await db.runTransaction(async (tx) => {
      await tx.collection('c').doc('x').update({ data: { n: 2 } });
      expect((await tx.collection('c').doc('x').get()).data.n).toBe(2);
      outsideDuring = (await db.collection('c').doc('x').get()).data.n as number;
    });
    expect(outsideDuring).toBe(1);
    expect((await db.collection('c').doc('x').get()).data.n).toBe(2);
  });

  test('a throw in the callback applies nothing', async () => {
    const { db } = fresh();
    await db.collection('acc').add({ data: { _id: 'a', bal: 100 } });
    await expect(db.runTransaction(async (tx) => {
      await tx.collection('acc').doc('a').update({ data: { bal: 0 } });
      await tx.collection('other').add({ data: { _id: 'o' } });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await db.collection('acc').doc('a').get()).data.bal).toBe(100);
    await expect(db.collection('other').doc('o').get()).rejects.toBeDefined();
    // Locks were released: a later transaction on the same doc works.
    await db.runTransaction(async (tx) => { await tx.collection('acc').doc('a').update({ data: { bal: 1 } }); }, 1);
    expect((await db.collection('acc').doc('a').get()).data.bal).toBe(1);
  });

  test('rollback(v) rejects with v and applies nothing', async () => {
    const { db } = fresh();
    await db.collection('acc').add({ data: { _id: 'a', bal: 100 } });
    const reason = { code: 'NOT_ENOUGH' };
    await expect(db.runTransaction(async (tx) => {
      await tx.collection('acc').doc('a').update({ data: { bal: -5 } });
      await tx.rollback(reason);
    })).rejects.toBe(reason);
    expect((await db.collection('acc').doc('a').get()).data.bal).toBe(100);
  });

  test('startTransaction: commit applies; rollback() resolves and discards the writes', async () => {
    const { db } = fresh();
    await db.collection('c').add({ data: { _id: 'x', n: 0 } });
    const t1 = await db.startTransaction();
    await t1.collection('c').doc('x').update({ data: { n: 1 } });
    await t1.commit();
    expect((await db.collection('c').doc('x').get()).data.n).toBe(1);
    const t2 = await db.startTransaction();
    await t2.collection('c').doc('x').update({ data: { n: 2 } });
    await expect(t2.rollback()).resolves.toBeDefined();
    expect((await db.collection('c').doc('x').get()).data.n).toBe(1);
    // Its lock is gone.
    await db.runTransaction(async (tx) => { await tx.collection('c').doc('x').update({ data: { n: 3 } }); }, 1);
    expect((await db.collection('c').doc('x').get()).data.n).toBe(3);
  });

  test('a failed commit (unique index) applies nothing', async () => {
    const { db } = fresh({ u: [{ name: 'k_unique', keys: { k: 1 }, unique: true }] });
    await db.collection('u').add({ data: { _id: 'taken', k: 'K' } });
    await expect(db.runTransaction(async (tx) => {
      await tx.collection('u').add({ data: { _id: 'first', k: 'fresh' } });
      await tx.collection('u').add({ data: { _id: 'second', k: 'K' } });
    })).rejects.toThrow(/duplicate key/);
    expect((await db.collection('u').count()).total).toBe(1);
  });

  test('two overlapping transactions conflict: DATABASE_TRANSACTION_CONFLICT when retries are exhausted (times=1)', async () => {
    const { db } = fresh();
    await db.collection('c').add({ data: { _id: 'x', n: 0 } });
    const inc = () => db.runTransaction(async (tx) => {
      const d = (await tx.collection('c').doc('x').get()).data as Any;
      await tx.collection('c').doc('x').update({ data: { n: d.n + 1 } });
    }, 1);
    const results = await Promise.allSettled([inc(), inc()]);
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect(isConflict(failed[0].reason)).toBe(true);
    expect(failed[0].reason).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect(String(failed[0].reason.errMsg)).toContain('DATABASE_TRANSACTION_CONFLICT');
    expect((await db.collection('c').doc('x').get()).data.n).toBe(1);
  });

  test('a write outside the transaction to a doc it read makes the commit conflict', async () => {
    const { db } = fresh();
    await db.collection('c').add({ data: { _id: 'x', n: 0 } });
    await expect(db.runTransaction(async (tx) => {
      const d = (await tx.collection('c').doc('x').get()).data as Any;
      await db.collection('c').doc('x').update({ data: { n: 100 } });
      await tx.collection('c').doc('x').update({ data: { n: d.n + 1 } });
    }, 1)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect((await db.collection('c').doc('x').get()).data.n).toBe(100);
  });

  test('20 concurrent transactional increments (default times=3): final value = successes, failures are conflicts', async () => {
    const { db } = fresh();
    await db.collection('c').add({ data: { _id: 'ctr', n: 0 } });
    const inc = () => db.runTransaction(async (tx) => {
      const d = (await tx.collection('c').doc('ctr').get()).data as Any;
      await tx.collection('c').doc('ctr').update({ data: { n: d.n + 1 } });
    });
    const results = await Promise.allSettled(Array.from({ length: 20 }, inc));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok + failed.length).toBe(20);
    expect(ok).toBeGreaterThan(1); // retries let more than the first one through
    for (const f of failed) expect(isConflict(f.reason)).toBe(true);
    expect((await db.collection('c').doc('ctr').get()).data.n).toBe(ok);
  });

  test('with enough retries all 20 concurrent increments succeed and none is lost', async () => {
    const { db } = fresh();
    await db.collection('c').add({ data: { _id: 'ctr', n: 0 } });
    let attempts = 0;
    const inc = () => db.runTransaction(async (tx) => {
      attempts++;
      const d = (await tx.collection('c').doc('ctr').get()).data as Any;
      await tx.collection('c').doc('ctr').update({ data: { n: d.n + 1 } });
    }, 100);
    const results = await Promise.allSettled(Array.from({ length: 20 }, inc));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect((await db.collection('c').doc('ctr').get()).data.n).toBe(20);
    expect(attempts).toBeGreaterThan(20); // the callback really was re-run on conflicts
  });
});

// ───────────────────────────── unique indexes ─────────────────────────────
describe('unique indexes', () => {
  test('50 concurrent adds of the same unique key: exactly one succeeds', async () => {
    const { db } = fresh({ members: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }] });
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_x, i) => db.collection('members').add({ data: { openid: 'o1', i } })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(49);
    for (const f of failed) expect(String(f.reason.errMsg)).toMatch(/duplicate key.*openid_unique/);
    expect((await db.collection('members').where({ openid: 'o1' }).count()).total).toBe(1);
  });

  test('an update or set that would duplicate a unique key is refused and changes nothing', async () => {
    const { db } = fresh({ members: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }] });
    await db.collection('members').add({ data: [{ _id: 'a', openid: 'A' }, { _id: 'b', openid: 'B' }] });
    await expect(db.collection('members').doc('b').update({ data: { openid: 'A' } })).rejects.toThrow(/duplicate key/);
    await expect(db.collection('members').doc('b').set({ data: { openid: 'A' } })).rejects.toThrow(/duplicate key/);
    expect((await db.collection('members').doc('b').get()).data.openid).toBe('B');
    // The old key is freed when a document changes its key.
    await db.collection('members').doc('b').update({ data: { openid: 'C' } });
    await db.collection('members').add({ data: { _id: 'd', openid: 'B' } });
    // And when a document is removed.
    await db.collection('members').doc('a').remove();
    await db.collection('members').add({ data: { _id: 'e', openid: 'A' } });
    expect((await db.collection('members').count()).total).toBe(3);
  });

  test('compound unique index: different combinations are allowed, the same one is not', async () => {
    const { db } = fresh({ checkins: [{ name: 'member_day_unique', keys: { memberId: 1, day: 1 }, unique: true }] });
    const c = db.collection('checkins');
    await c.add({ data: { memberId: 'm1', day: '2026-11-01' } });
    await c.add({ data: { memberId: 'm1', day: '2026-11-02' } });
    await c.add({ data: { memberId: 'm2', day: '2026-11-01' } });
    await expect(c.add({ data: { memberId: 'm1', day: '2026-11-01' } })).rejects.toThrow(/duplicate key/);
    expect((await c.count()).total).toBe(3);
  });

  test('a missing field counts as null: two docs without the field conflict', async () => {
    const { db } = fresh({ bind: [{ name: 'phone_unique', keys: { phone: 1 }, unique: true }] });
    const c = db.collection('bind');
    await c.add({ data: { name: 'no phone 1' } });
    await expect(c.add({ data: { name: 'no phone 2' } })).rejects.toThrow(/duplicate key/);
    await expect(c.add({ data: { name: 'explicit null', phone: null } })).rejects.toThrow(/duplicate key/);
    await c.add({ data: { name: 'has phone', phone: '138' } });
    expect((await c.count()).total).toBe(2);
  });

  test('non-unique indexes do not restrict anything', async () => {
    const { db } = fresh({ orders: [{ name: 'status_created', keys: { status: 1, createdAt: 1 } }] });
    await db.collection('orders').add({ data: [{ status: 'paid', createdAt: 1 }, { status: 'paid', createdAt: 1 }] });
    expect((await db.collection('orders').count()).total).toBe(2);
  });
});

// ───────────────────────────── the oversell pair ─────────────────────────────
describe('oversell: the emulator reproduces the race and the conditional update prevents it', () => {
  const BUYERS = 50;

  test('naive get-then-update oversells', async () => {
    const { db } = fresh();
    await db.collection('products').add({ data: { _id: 'p', stock: 10 } });
    let sold = 0;
    await Promise.all(Array.from({ length: BUYERS }, async () => {
      const { data } = await db.collection('products').doc('p').get();
      const s = data.stock as number;
      if (s < 1) return;
      await db.collection('products').doc('p').update({ data: { stock: s - 1 } });
      sold++;
    }));
    expect(sold).toBeGreaterThan(10);
  });

  test('conditional where({ _id, stock: gte(1) }).update(inc(-1)) sells exactly the stock', async () => {
    const { db, _ } = fresh();
    await db.collection('products').add({ data: { _id: 'p', stock: 10 } });
    let sold = 0;
    await Promise.all(Array.from({ length: BUYERS }, async () => {
      const r = await db.collection('products').where({ _id: 'p', stock: _.gte(1) }).update({ data: { stock: _.inc(-1) } });
      if (r.stats.updated === 1) sold++;
    }));
    expect(sold).toBe(10);
    expect((await db.collection('products').doc('p').get()).data.stock).toBe(0);
  });
});
