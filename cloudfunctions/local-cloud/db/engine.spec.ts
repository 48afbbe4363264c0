import { Engine, IndexSpec } from './engine';

describe('cursor paging over ordered ids', () => {
  it('returns the same pages as a full scan, and sees inserts made between pages', () => {
    const e = new Engine();
    e.commit(
      Array.from({ length: 500 }, (_, i) => [
        'm',
        `id_${String(i).padStart(4, '0')}`,
        { _id: `id_${String(i).padStart(4, '0')}`, n: i % 7 },
      ]),
    );
    const scan = e.find('m', { n: { $gte: 3 } }, { sort: { _id: 1 } }).map((d) => d._id);
    const paged: string[] = [];
    let cursor = '';
    for (;;) {
      const page = e.find(
        'm',
        { $and: [{ n: { $gte: 3 } }, { _id: { $gt: cursor } }] },
        { sort: { _id: 1 }, limit: 37, projection: { _id: 1 } },
      );
      const tail = page.at(-1);
      if (!tail) break;
      paged.push(...page.map((d) => d._id));
      cursor = tail._id;
      if (paged.length === 37) e.commit([['m', 'id_9999', { _id: 'id_9999', n: 5 }]]);
    }
    expect(paged).toEqual([...scan, 'id_9999']);
  });
});

describe('equality lookups on declared index fields', () => {
  it('return exactly what a full scan returns, including nulls, missing fields, arrays and changes', () => {
    const indexes: Record<string, IndexSpec[]> = {
      m: [
        { name: 'store', keys: { storeId: 1 } },
        { name: 'tags', keys: { tags: 1 } },
      ],
    };
    const withLookup = new Engine({ indexes });
    const plain = new Engine();
    const docs = Array.from({ length: 300 }, (_, i) => ({
      _id: `d${i}`,
      n: i,
      ...(i % 5 === 0 ? {} : { storeId: i % 7 === 0 ? null : `s${i % 3}` }),
      tags: i % 4 === 0 ? ['a', 'b'] : i % 4 === 1 ? 'a' : null,
    }));
    for (const e of [withLookup, plain]) e.commit(docs.map((d) => ['m', d._id, d]));
    const change = (e: Engine) => {
      e.commit([
        ['m', 'd1', { _id: 'd1', n: 1, storeId: 's2', tags: ['b'] }],
        ['m', 'd2', null],
      ]);
      e.updateWhere('m', { storeId: 's1' }, { $set: { storeId: 's0' } }, 10);
    };
    change(withLookup);
    change(plain);
    const queries = [
      { storeId: 's0' },
      { storeId: 's2' },
      { storeId: null },
      { tags: 'a' },
      { tags: 'b' },
      { tags: null },
      { $and: [{ n: { $gt: 100 } }, { storeId: 's1' }] },
      { storeId: { $in: ['s1', 's2'] } },
      { storeId: 's9' },
    ];
    for (const q of queries) {
      const ids = (e: Engine) => e.find('m', q, { sort: { _id: 1 } }).map((d) => d._id);
      expect(ids(withLookup)).toEqual(ids(plain));
      expect(withLookup.count('m', q)).toBe(plain.count('m', q));
    }
  });
});
