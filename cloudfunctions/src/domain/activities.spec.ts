import {
  activityProblems,
  activitySku,
  afterSeatPaid,
  checkFlashBuy,
  checkJoin,
  FlashSale,
  flashPhase,
  Group,
  onGroupExpired,
} from './activities';

const sale = (p: Partial<FlashSale> = {}): FlashSale => ({
  _id: 'fs1',
  title: '秒杀',
  productId: 'p1',
  skuId: 's1',
  categoryId: 'c',
  name: 'n',
  listPrice: 3000,
  price: 990,
  stock: 10,
  total: 10,
  perMemberLimit: 1,
  startAt: 10_000,
  endAt: 20_000,
  status: 'active',
  ...p,
});
const group = (p: Partial<Group> = {}): Group => ({
  _id: 'g1',
  activityId: 'a1',
  leaderId: 'm1',
  size: 3,
  seats: 1,
  memberIds: ['m1'],
  paidIds: ['m1'],
  status: 'forming',
  expiresAt: 50_000,
  virtual: 0,
  ...p,
});

describe('flash sale', () => {
  it('opens exactly at startAt by server time and counts down', () => {
    expect(flashPhase(sale(), 9_001)).toMatchObject({ phase: 'upcoming', secondsToStart: 1 });
    expect(flashPhase(sale(), 10_000).phase).toBe('active');
    expect(flashPhase(sale(), 20_000).phase).toBe('ended');
    expect(flashPhase(sale({ stock: 0 }), 15_000).phase).toBe('sold_out');
    expect(flashPhase(sale({ status: 'stopped' }), 15_000).phase).toBe('stopped');
  });
  it('refuses outside the window and above the per-member limit', () => {
    expect(checkFlashBuy(sale(), 1, 9_999)).toEqual({ ok: false, code: 'FLASH_NOT_STARTED' });
    expect(checkFlashBuy(sale(), 1, 20_001)).toEqual({ ok: false, code: 'FLASH_ENDED' });
    expect(checkFlashBuy(sale(), 2, 15_000)).toEqual({ ok: false, code: 'LIMIT_EXCEEDED' });
    expect(checkFlashBuy(sale(), 1, 15_000)).toEqual({ ok: true });
  });
});

describe('group buy', () => {
  it('lets a new member join a forming group with free seats', () => {
    expect(checkJoin(group(), 'm2', 1)).toEqual({ ok: true });
  });
  it('refuses members already in, full, expired and closed groups', () => {
    expect(checkJoin(group(), 'm1', 1)).toMatchObject({ code: 'ALREADY_IN_GROUP' });
    expect(checkJoin(group({ seats: 3 }), 'm9', 1)).toMatchObject({ code: 'GROUP_FULL' });
    expect(checkJoin(group(), 'm9', 50_000)).toMatchObject({ code: 'GROUP_EXPIRED' });
    expect(checkJoin(group({ status: 'success' }), 'm9', 1)).toMatchObject({ code: 'GROUP_NOT_OPEN' });
  });
  it('succeeds when every seat is paid, once per member', () => {
    expect(afterSeatPaid({ size: 2, paidIds: ['m1'] }, 'm2')).toEqual({ paidIds: ['m1', 'm2'], success: true });
    expect(afterSeatPaid({ size: 3, paidIds: ['m1'] }, 'm1')).toEqual({ paidIds: ['m1'], success: false });
  });
  it('on expiry: virtual completion fills a paid group, otherwise it fails', () => {
    expect(onGroupExpired({ size: 3, paidIds: ['m1'], status: 'forming' }, true)).toEqual({
      status: 'success',
      virtual: 2,
    });
    expect(onGroupExpired({ size: 3, paidIds: ['m1'], status: 'forming' }, false)).toEqual({
      status: 'failed',
      virtual: 0,
    });
    expect(onGroupExpired({ size: 3, paidIds: ['m1'], status: 'success' }, false)).toBeNull();
  });
});

describe('activitySku', () => {
  const product = { _id: 'p1', categoryId: 'cat_coffee', name: '拿铁', images: ['/a.png', '/b.png'] };
  it('names a SKU by its spec, except the only (标准) one, and keeps its list price and first image', () => {
    expect(activitySku(product, { _id: 'p1_2', spec: '大杯', price: 3100 })).toEqual({
      productId: 'p1',
      skuId: 'p1_2',
      categoryId: 'cat_coffee',
      name: '拿铁（大杯）',
      listPrice: 3100,
      image: '/a.png',
    });
    expect(activitySku({ ...product, images: [] }, { _id: 'p1_1', spec: '标准', price: 2800 })).toMatchObject({
      name: '拿铁',
      image: '',
    });
  });
});

describe('activityProblems', () => {
  it('reports every problem at once: a window ending before it starts and a price not below list', () => {
    expect(activityProblems({ price: 3000, startAt: 20, endAt: 10 }, 3000, '拼团价')).toEqual([
      '结束时间必须晚于开始时间',
      '拼团价必须低于原价',
    ]);
    expect(activityProblems({ price: 2999, startAt: 10, endAt: 11 }, 3000, '秒杀价')).toEqual([]);
  });
});
