import { afterSeatPaid, checkFlashBuy, checkJoin, FlashSale, flashPhase, Group, onGroupExpired } from './activities';

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
