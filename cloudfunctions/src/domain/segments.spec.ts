import { Query } from 'mingo';
import { describeSegment, segmentWhere } from './segments';

// A command builder producing MongoDB operators, to check the compiled condition's meaning.
const _ = {
  in: (v: unknown[]) => ({ $in: v }),
  nin: (v: unknown[]) => ({ $nin: v }),
  all: (v: unknown[]) => ({ $all: v }),
  gte: (v: unknown) => ({ $gte: v }),
  lte: (v: unknown) => ({ $lte: v }),
  exists: (v: boolean) => ({ $exists: v }),
  neq: (v: unknown) => ({ $ne: v }),
  and: (...v: Record<string, unknown>[]) => Object.assign({}, ...v),
};
const members = [
  {
    _id: 'a',
    tags: ['interest:cat_coffee', 'buyer'],
    rfm: { layer: '重要挽留客户' },
    stage: 'at_risk',
    tierId: 't_gold',
    storeId: 'store_1',
    stats: { orderCount: 3, lastOrderAt: 100 },
    joinedAt: 10,
  },
  {
    _id: 'b',
    tags: ['buyer'],
    rfm: { layer: '重要价值客户' },
    stage: 'loyal',
    tierId: 't_silver',
    storeId: 'store_2',
    stats: { orderCount: 8, lastOrderAt: 900 },
    joinedAt: 20,
  },
  {
    _id: 'c',
    tags: [],
    stage: 'new',
    tierId: 't_normal',
    storeId: 'store_1',
    stats: { orderCount: 0, lastOrderAt: null },
    joinedAt: 30,
  },
  { _id: 'd', tags: ['buyer'], rfm: { layer: '重要挽留客户' }, mergedInto: 'a', stats: { orderCount: 1 } },
  { _id: 'e', tags: ['buyer'], rfm: { layer: '重要挽留客户' }, staffAccount: true, stats: { orderCount: 1 } },
];
const ids = (def: Parameters<typeof segmentWhere>[0]) =>
  new Query(segmentWhere(def, _) as Record<string, unknown>)
    .find(members)
    .all()
    .map((m) => (m as { _id: string })._id);

describe('segmentWhere', () => {
  it('an empty definition is every customer (merged records and staff accounts excluded)', () =>
    expect(ids({})).toEqual(['a', 'b', 'c']));
  it('filters by RFM layer, stage, tier, store', () => {
    expect(ids({ rfmLayers: ['重要挽留客户'] })).toEqual(['a']);
    expect(ids({ stages: ['loyal', 'new'] })).toEqual(['b', 'c']);
    expect(ids({ storeIds: ['store_1'], tierIds: ['t_gold', 't_normal'] })).toEqual(['a', 'c']);
  });
  it('combines tag conditions', () => {
    expect(ids({ tagsAll: ['buyer', 'interest:cat_coffee'] })).toEqual(['a']);
    expect(ids({ tagsAny: ['buyer'], tagsNone: ['interest:cat_coffee'] })).toEqual(['b']);
  });
  it('filters by dates and order count', () => {
    expect(ids({ lastOrderFrom: 500 })).toEqual(['b']);
    expect(ids({ joinedFrom: 15, joinedTo: 25 })).toEqual(['b']);
    expect(ids({ minOrders: 1 })).toEqual(['a', 'b']);
  });
});

describe('describeSegment', () => {
  it('speaks Chinese for stages and, given a labeler, for tags', () => {
    expect(
      describeSegment({ stages: ['at_risk'], tagsAll: ['churn-risk'] }, (t) => (t === 'churn-risk' ? '流失风险' : t)),
    ).toBe('阶段：流失预警；同时具有：流失风险');
  });
});
