import { Engine } from './engine';

describe('cursor paging over ordered ids', () => {
  it('returns the same pages as a full scan, and sees inserts made between pages', () => {
    const e = new Engine();
    e.commit(Array.from({ length: 500 }, (_, i) => ['m', `id_${String(i).padStart(4, '0')}`, { _id: `id_${String(i).padStart(4, '0')}`, n: i % 7 }]));
    const scan = e.find('m', { n: { $gte: 3 } }, { sort: { _id: 1 } }).map((d) => d._id);
    const paged: string[] = [];
    let cursor = '';
    for (;;) {
      const page = e.find('m', { $and: [{ n: { $gte: 3 } }, { _id: { $gt: cursor } }] }, { sort: { _id: 1 }, limit: 37, projection: { _id: 1 } });
      if (!page.length) break;
      paged.push(...page.map((d) => d._id));
      cursor = page[page.length - 1]._id;
      if (paged.length === 37) e.commit([['m', 'id_9999', { _id: 'id_9999', n: 5 }]]);
    }
    expect(paged).toEqual([...scan, 'id_9999']);
  });
});
