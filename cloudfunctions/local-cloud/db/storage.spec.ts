// Durable storage: snapshot + write-ahead log survive a restart (graceful or not).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Database } from './database';
import { Engine } from './engine';
import { decode, encode } from './storage';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const isDate = (v: unknown) => Object.prototype.toString.call(v) === '[object Date]';
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-spec-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('storage', () => {
  test('data survives a new Engine on the same dir (after close)', async () => {
    const e1 = new Engine({ dir });
    const db1 = new Database(e1);
    await db1.collection('a').add({ data: [{ _id: 'x', n: 1 }, { _id: 'y', n: 2 }, { _id: 'z', n: 3 }] });
    await db1.collection('a').doc('x').update({ data: { n: db1.command.inc(10) } });
    await db1.collection('a').doc('y').remove();
    await db1.collection('b').doc('k').set({ data: { v: 'hello' } });
    e1.close();

    const db2 = new Database(new Engine({ dir }));
    const docs = (await db2.collection('a').orderBy('_id', 'asc').get()).data;
    expect(docs).toEqual([{ _id: 'x', n: 11 }, { _id: 'z', n: 3 }]);
    expect((await db2.collection('b').doc('k').get()).data).toEqual({ _id: 'k', v: 'hello' });
  });

  test('acknowledged writes survive without close (as after kill -9), across two restarts', async () => {
    const e1 = new Engine({ dir });
    await new Database(e1).collection('a').add({ data: { _id: 'x', n: 1 } });
    // No close(): the process "dies" here.
    const e2 = new Engine({ dir });
    await new Database(e2).collection('a').doc('x').update({ data: { n: 2 } });
    const e3 = new Engine({ dir });
    expect((await new Database(e3).collection('a').doc('x').get()).data.n).toBe(2);
    e1.close(); e2.close(); e3.close();
  });

  test('a torn last WAL line is ignored; everything before it is kept', async () => {
    const e1 = new Engine({ dir });
    const db1 = new Database(e1);
    await db1.collection('a').add({ data: { _id: 'x', n: 1 } });
    await db1.collection('a').add({ data: { _id: 'y', n: 2 } });
    e1.close();
    const wal = path.join(dir, 'wal.jsonl');
    const full = encode([['a', 'torn', { _id: 'torn', n: 3 }]]);
    fs.appendFileSync(wal, full.slice(0, full.length - 5)); // cut mid-line, no newline
    const db2 = new Database(new Engine({ dir }));
    expect((await db2.collection('a').orderBy('_id', 'asc').get()).data.map((d) => d._id)).toEqual(['x', 'y']);
    await expect(db2.collection('a').doc('torn').get()).rejects.toBeDefined();
    // And the engine keeps working and persisting afterwards.
    await db2.collection('a').add({ data: { _id: 'w', n: 4 } });
    const db3 = new Database(new Engine({ dir }));
    expect((await db3.collection('a').count()).total).toBe(3);
  });

  test('unique indexes are rebuilt from disk', async () => {
    const indexes = { m: [{ name: 'openid_unique', keys: { openid: 1 as const }, unique: true }] };
    const e1 = new Engine({ dir, indexes });
    await new Database(e1).collection('m').add({ data: { openid: 'o1' } });
    e1.close();
    const db2 = new Database(new Engine({ dir, indexes }));
    await expect(db2.collection('m').add({ data: { openid: 'o1' } })).rejects.toThrow(/duplicate key/);
  });

  test('Dates round-trip (top level, nested, in arrays) and stay queryable', async () => {
    const at = new Date(Date.UTC(2026, 10, 25, 1, 2, 3, 456));
    const e1 = new Engine({ dir });
    const db1 = new Database(e1);
    await db1.collection('d').add({ data: { _id: 'x', at, nested: { at }, list: [at], created: db1.serverDate() } });
    e1.close();
    const db2 = new Database(new Engine({ dir }));
    const doc = (await db2.collection('d').doc('x').get()).data as Any;
    expect(isDate(doc.at)).toBe(true);
    expect(doc.at.getTime()).toBe(at.getTime());
    expect(isDate(doc.nested.at)).toBe(true);
    expect(doc.nested.at.getTime()).toBe(at.getTime());
    expect(isDate(doc.list[0])).toBe(true);
    expect(isDate(doc.created)).toBe(true);
    expect((await db2.collection('d').where({ at: db2.command.gte(new Date(at.getTime() - 1)) }).count()).total).toBe(1);
  });

  test('encode/decode keep Dates and plain values', () => {
    const v = { a: new Date(5), b: [new Date(6), 1, 'x', null], c: { d: true } };
    const back = decode(encode(v)) as Any;
    expect(back.a.getTime()).toBe(5);
    expect(back.b[0].getTime()).toBe(6);
    expect(back.b.slice(1)).toEqual([1, 'x', null]);
    expect(back.c).toEqual({ d: true });
  });
});
