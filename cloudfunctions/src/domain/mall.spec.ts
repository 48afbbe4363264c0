import { decideRedemption, MallItem, spendBalance, topupCredit } from './mall';

const item = (p: Partial<MallItem> = {}): MallItem => ({
  _id: 'i1',
  type: 'goods',
  name: '马克杯',
  pointsPrice: 100,
  stock: 5,
  perMemberLimit: 1,
  onShelf: true,
  ...p,
});

describe('decideRedemption', () => {
  it('spends points for an available item', () => {
    expect(decideRedemption({ buckets: { '2027': 150 }, item: item(), redeemedBefore: 0 })).toEqual({
      ok: true,
      cost: 100,
      buckets: { '2027': 50 },
    });
  });
  it.each([
    [{ item: null }, 'NOT_FOUND'],
    [{ item: item({ onShelf: false }) }, 'ITEM_OFF_SHELF'],
    [{ item: item({ stock: 0 }) }, 'SOLD_OUT'],
    [{ item: item(), redeemedBefore: 1 }, 'LIMIT_REACHED'],
    [{ item: item({ pointsPrice: 500 }) }, 'INSUFFICIENT_POINTS'],
  ])('refuses %#', (over, code) => {
    expect(
      decideRedemption(Object.assign({ buckets: { '2027': 150 }, redeemedBefore: 0, item: item() }, over)),
    ).toEqual({ ok: false, code });
  });
  it('no per-member limit when 0', () => {
    expect(
      decideRedemption({ buckets: { '2027': 150 }, item: item({ perMemberLimit: 0 }), redeemedBefore: 9 }).ok,
    ).toBe(true);
  });
});

describe('stored value', () => {
  it('credits pay plus bonus', () => expect(topupCredit({ pay: 50000, bonus: 5000 })).toBe(55000));
  it('never goes below zero', () => {
    expect(spendBalance(1000, 1000)).toEqual({ ok: true, balance: 0 });
    expect(spendBalance(999, 1000)).toEqual({ ok: false, code: 'INSUFFICIENT_BALANCE' });
    expect(() => spendBalance(1000, -1)).toThrow(RangeError);
  });
});
