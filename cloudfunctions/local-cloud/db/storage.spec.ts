// Durable storage: snapshot + write-ahead log survive a restart (graceful or not). The line format is tested
// directly; durability through local clouds restarted on the same dataDir, written and read by the real SDK.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProbeCloud, ProbeError, ProbeFailure, startProbeCloud } from '../testing/probe';
import { decode, encode } from './storage';

type Any = any;

const failure = async (promise: Promise<unknown>): Promise<ProbeError> => {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ProbeFailure) return e.error;
    throw e;
  }
  throw new Error('expected the SDK call to fail');
};

describe('storage', () => {
  test('encode/decode keep Dates and plain values', () => {
    const v = { a: new Date(5), b: [new Date(6), 1, 'x', null], c: { d: true } };
    const back = decode(encode(v)) as Any;
    expect(back.a.getTime()).toBe(5);
    expect(back.b[0].getTime()).toBe(6);
    expect(back.b.slice(1)).toEqual([1, 'x', null]);
    expect(back.c).toEqual({ d: true });
  });
});

describe('durability: snapshot + write-ahead log survive a restart (graceful or not)', () => {
  let dir: string;
  const running = new Set<ProbeCloud>();
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelity-data-'));
  });
  afterEach(async () => {
    await Promise.all([...running].map((c) => c.close()));
    running.clear();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // A local cloud on `dir`; `stop` closes it gracefully (afterEach closes any left running).
  const start = async (indexes = {}) => {
    const c = await startProbeCloud({ dataDir: dir, indexes });
    running.add(c);
    return c;
  };
  const stop = async (c: ProbeCloud) => {
    running.delete(c);
    await c.close();
  };

  test('data survives a new local cloud on the same dataDir (after close)', async () => {
    const c1 = await start();
    await c1.run(async ({ db, _ }) => {
      await db.collection('a').add({
        data: [
          { _id: 'x', n: 1 },
          { _id: 'y', n: 2 },
          { _id: 'z', n: 3 },
        ],
      });
      await db
        .collection('a')
        .doc('x')
        .update({ data: { n: _.inc(10) } });
      await db.collection('a').doc('y').remove();
      await db
        .collection('b')
        .doc('k')
        .set({ data: { v: 'hello' } });
    });
    await stop(c1);
    const c2 = await start();
    const r = await c2.run(async ({ db }) => ({
      a: (await db.collection('a').orderBy('_id', 'asc').get()).data,
      b: (await db.collection('b').doc('k').get()).data,
    }));
    await stop(c2);
    expect(r).toEqual({
      a: [
        { _id: 'x', n: 11 },
        { _id: 'z', n: 3 },
      ],
      b: { _id: 'k', v: 'hello' },
    });
  });

  test('acknowledged writes survive without close (as after kill -9), across two restarts', async () => {
    const c1 = await start();
    await c1.run(async ({ db }) => db.collection('a').add({ data: { _id: 'x', n: 1 } }));
    // No close(): c1 stays up as if killed, so c2 loads only what c1 had on disk when it acknowledged.
    const c2 = await start();
    await c2.run(async ({ db }) =>
      db
        .collection('a')
        .doc('x')
        .update({ data: { n: 2 } }),
    );
    const c3 = await start();
    const n = await c3.run(async ({ db }) => (await db.collection('a').doc('x').get()).data.n);
    expect(n).toBe(2);
  });

  test('a torn last WAL line is ignored; everything before it is kept, and writing goes on', async () => {
    const c1 = await start();
    await c1.run(async ({ db }) => {
      await db.collection('a').add({ data: { _id: 'x', n: 1 } });
      await db.collection('a').add({ data: { _id: 'y', n: 2 } });
    });
    await stop(c1);
    const full = encode([['a', 'torn', { _id: 'torn', n: 3 }]]);
    fs.appendFileSync(path.join(dir, 'wal.jsonl'), full.slice(0, full.length - 5)); // cut mid-line, no newline
    const c2 = await start();
    const r = await c2.run(async ({ db }) => {
      const ids = (await db.collection('a').orderBy('_id', 'asc').get()).data.map((d: { _id: string }) => d._id);
      const torn = (await db.collection('a').where({ _id: 'torn' }).count()).total;
      await db.collection('a').add({ data: { _id: 'w', n: 4 } });
      return { ids, torn };
    });
    await stop(c2);
    expect(r).toEqual({ ids: ['x', 'y'], torn: 0 });
    const c3 = await start();
    const count = await c3.run(async ({ db }) => (await db.collection('a').count()).total);
    await stop(c3);
    expect(count).toBe(3);
  });

  test('unique indexes are rebuilt from disk', async () => {
    const indexes = { m: [{ name: 'openid_unique', keys: { openid: 1 as const }, unique: true }] };
    const c1 = await start(indexes);
    await c1.run(async ({ db }) => db.collection('m').add({ data: { openid: 'o1' } }));
    await stop(c1);
    const c2 = await start(indexes);
    const e = await failure(c2.run(async ({ db }) => db.collection('m').add({ data: { openid: 'o1' } })));
    await stop(c2);
    expect(e.errMsg).toMatch(/duplicate key.*openid_unique/);
  });

  test('Dates round-trip (top level, nested, in arrays, serverDate) and stay queryable', async () => {
    const at = Date.UTC(2026, 10, 25, 1, 2, 3, 456);
    const c1 = await start();
    await c1.run(
      async ({ db }, a: { at: number }) => {
        const d = new Date(a.at);
        const created = db.serverDate();
        await db.collection('d').add({ data: { _id: 'x', at: d, nested: { at: d }, list: [d], created } });
      },
      { at },
    );
    await stop(c1);
    const c2 = await start();
    const r = await c2.run(
      async ({ db }, a: { at: number }) => {
        const doc = (await db.collection('d').doc('x').get()).data;
        const kinds = [doc.at, doc.nested.at, doc.list[0], doc.created].map((v) => Object.prototype.toString.call(v));
        const count = (
          await db
            .collection('d')
            .where({ at: db.command.gte(new Date(a.at - 1)) })
            .count()
        ).total;
        return { kinds, at: doc.at, nested: doc.nested.at, count };
      },
      { at },
    );
    await stop(c2);
    expect(r.kinds).toEqual(Array(4).fill('[object Date]'));
    expect(r.at.getTime()).toBe(at);
    expect(r.nested.getTime()).toBe(at);
    expect(r.count).toBe(1);
  });
});
