import { allowedFrom, canTransition, pointsForOrder, statusAfterPayment } from './orders';

describe('order lifecycle', () => {
  it('pays and cancels only unpaid orders', () => {
    expect(canTransition('created', 'pay')).toBe(true);
    expect(canTransition('cancelled', 'pay')).toBe(false);
    expect(canTransition('paid', 'cancel')).toBe(false);
  });
  it('refunds paid, grouping and fulfilled-but-not-completed orders', () => {
    expect(allowedFrom('refund')).toEqual(['grouping', 'paid', 'shipped', 'ready']);
    expect(canTransition('completed', 'refund')).toBe(false);
    expect(canTransition('refunded', 'refund')).toBe(false);
  });
  it('group orders wait for the group', () => {
    expect(statusAfterPayment('group')).toBe('grouping');
    expect(statusAfterPayment('flash')).toBe('paid');
  });
  it('earns 1 point per whole yuan times the tier multiplier', () => {
    expect(pointsForOrder(12999, 100)).toBe(129);
    expect(pointsForOrder(12999, 150)).toBe(193);
    expect(pointsForOrder(99, 200)).toBe(0);
  });
});
