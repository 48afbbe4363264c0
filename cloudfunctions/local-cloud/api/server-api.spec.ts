// CloudBase's server API as the real wx-server-sdk sees it: each divergence that passed against the old
// imitation SDK but fails on CloudBase has a test here.
import { ProbeCloud, ProbeFailure, startProbeCloud } from '../testing/probe';

let p: ProbeCloud;
beforeAll(async () => {
  p = await startProbeCloud({ indexes: { m: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }] } });
});
afterAll(async () => {
  await p.close();
});

const failure = async (promise: Promise<unknown>): Promise<ProbeFailure> => {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ProbeFailure) return e;
    throw e;
  }
  throw new Error('expected the SDK call to fail');
};

describe('documents through the real SDK', () => {
  test('add, get, where with commands, update, count, remove', async () => {
    const r = await p.run(async ({ db, _ }) => {
      const c = db.collection('basic');
      await c.add({ data: { _id: 'a', n: 1, tags: ['x'], at: new Date(5), nested: { k: 1 } } });
      await c.add({ data: { _id: 'b', n: 5, nested: { k: 2 } } });
      const gt = await c.where({ n: _.gt(2) }).get();
      const nested = await c.where({ nested: { k: 1 } }).get();
      await c.doc('a').update({ data: { n: _.inc(2), tags: _.push(['y']), nested: { k: 9 } } });
      const a = (await c.doc('a').get()).data;
      const count = (await c.where({ n: _.gte(3) }).count()).total;
      const removed = (await c.where({ _id: 'b' }).remove()).stats.removed;
      return { gt: gt.data.map((d: { _id: string }) => d._id), nested: nested.data.length, a, count, removed };
    });
    expect(r).toEqual({
      gt: ['b'],
      nested: 1,
      count: 2,
      removed: 1,
      a: { _id: 'a', n: 3, tags: ['x', 'y'], at: new Date(5), nested: { k: 9 } },
    });
  });

  test('serverDate is the server time of the write', async () => {
    const before = Date.now();
    const at = await p.run(async ({ db }) => {
      await db.collection('sd').add({ data: { _id: 's', at: db.serverDate({ offset: 1000 }) } });
      return (await db.collection('sd').doc('s').get()).data.at;
    });
    expect(at).toBeInstanceOf(Date);
    expect((at as Date).getTime()).toBeGreaterThanOrEqual(before + 1000);
  });

  test('set() with _id in data is refused by the SDK before any request (errCode -501007)', async () => {
    const e = await failure(
      p.run(async ({ db }) =>
        db
          .collection('t')
          .doc('x')
          .set({ data: { _id: 'x', v: 1 } }),
      ),
    );
    expect(e.error.errCode).toBe(-501007);
  });

  test('where() whose values are all undefined throws', async () => {
    const e = await failure(p.run(async ({ db }) => db.collection('t').where({ a: undefined }).get()));
    expect(e.error.message).toBeTruthy();
  });

  test('get() returns 100 by default and at most 1000', async () => {
    const r = await p.run(async ({ db }) => {
      const c = db.collection('many');
      for (let i = 0; i < 11; i++) {
        await c.add({ data: Array.from({ length: 100 }, (_x, j) => ({ _id: `d${i * 100 + j}`.padStart(6, '0') })) });
      }
      return [
        (await c.get()).data.length,
        (await c.limit(1000).get()).data.length,
        (await c.limit(5000).get()).data.length,
      ];
    });
    expect(r).toEqual([100, 1000, 1000]);
  });

  test('a duplicate key arrives as errCode -502001 with MongoDB E11000 text', async () => {
    const e = await failure(
      p.run(async ({ db }) => {
        await db.collection('m').add({ data: { openid: 'o1' } });
        await db.collection('m').add({ data: { openid: 'o1' } });
      }),
    );
    expect(e.error.errCode).toBe(-502001);
    expect(e.error.errMsg).toMatch(/E11000 duplicate key/);
  });
});

describe('transactions', () => {
  test('commit applies all writes; rollback applies none', async () => {
    const r = await p.run(async ({ db, _ }) => {
      await db.collection('acct').add({
        data: [
          { _id: 'A', bal: 10 },
          { _id: 'B', bal: 0 },
        ],
      });
      await db.runTransaction(async (tx: any) => {
        await tx
          .collection('acct')
          .doc('A')
          .update({ data: { bal: _.inc(-4) } });
        await tx
          .collection('acct')
          .doc('B')
          .update({ data: { bal: _.inc(4) } });
      });
      let reason = '';
      try {
        await db.runTransaction(async (tx: any) => {
          await tx
            .collection('acct')
            .doc('A')
            .update({ data: { bal: _.inc(-100) } });
          await tx.rollback('nope');
        });
      } catch (e) {
        reason = String(e);
      }
      const { data } = await db.collection('acct').orderBy('_id', 'asc').get();
      return { reason, bals: data.map((d: { bal: number }) => d.bal) };
    });
    expect(r).toEqual({ reason: 'nope', bals: [6, 4] });
  });

  test('reads inside a transaction see its snapshot, not later commits', async () => {
    const r = await p.run(async ({ db, _ }) => {
      await db.collection('snap').add({ data: { _id: 's', v: 1 } });
      const tx = await db.startTransaction();
      const first = (await tx.collection('snap').doc('s').get()).data.v;
      await db
        .collection('snap')
        .doc('s')
        .update({ data: { v: _.inc(1) } });
      const second = (await tx.collection('snap').doc('s').get()).data.v;
      await tx.rollback();
      return { first, second, now: (await db.collection('snap').doc('s').get()).data.v };
    });
    expect(r).toEqual({ first: 1, second: 1, now: 2 });
  });

  test('a write conflicting with another open transaction fails at once; a plain write waits', async () => {
    const r = await p.run(async ({ db, _ }) => {
      await db.collection('lock').add({ data: { _id: 'k', v: 0 } });
      const t1 = await db.startTransaction();
      await t1
        .collection('lock')
        .doc('k')
        .update({ data: { v: _.inc(1) } });
      const t2 = await db.startTransaction();
      let conflict: any = null;
      try {
        await t2
          .collection('lock')
          .doc('k')
          .update({ data: { v: _.inc(10) } });
      } catch (e) {
        conflict = e;
      }
      let plainDone = false;
      const plain = db
        .collection('lock')
        .doc('k')
        .update({ data: { v: _.inc(100) } })
        .then(() => {
          plainDone = true;
        });
      await db.collection('other').add({ data: { x: 1 } }); // a round trip while the plain write waits
      const doneBeforeCommit = plainDone;
      await t1.commit();
      await plain;
      return {
        errCode: conflict && conflict.errCode,
        errMsg: conflict && conflict.errMsg,
        doneBeforeCommit,
        v: (await db.collection('lock').doc('k').get()).data.v,
      };
    });
    expect(r.errCode).toBe(-501001);
    expect(r.errMsg).toMatch(/transaction conflict/i);
    expect(r.doneBeforeCommit).toBe(false);
    expect(r.v).toBe(101);
  });
});
