// Order lifecycle: created → paid → (shipped | ready) → completed; created → cancelled;
// paid/grouping/shipped/ready → refunding → refunded. Group orders wait in `grouping` until the group succeeds.

/** Order statuses. */
export type OrderStatus = 'created' | 'grouping' | 'paid' | 'shipped' | 'ready' | 'completed' | 'cancelled' | 'refunding' | 'refunded';

/** Chinese labels for the client. */
export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  created: '待付款', grouping: '拼团中', paid: '待发货', shipped: '待收货', ready: '待自提', completed: '已完成',
  cancelled: '已取消', refunding: '退款中', refunded: '已退款',
};

const TRANSITIONS: Record<string, OrderStatus[]> = {
  pay: ['created'],
  cancel: ['created'],
  ship: ['paid'],
  ready: ['paid'],
  complete: ['shipped', 'ready'],
  refund: ['grouping', 'paid', 'shipped', 'ready'],
  refunded: ['refunding'],
};

/** Statuses from which `event` may happen. */
export const allowedFrom = (event: keyof typeof TRANSITIONS): OrderStatus[] => TRANSITIONS[event];

/** Whether `event` may happen to an order in `status`. */
export function canTransition(status: OrderStatus, event: keyof typeof TRANSITIONS): boolean {
  return TRANSITIONS[event].includes(status);
}

/** How long an unpaid order holds stock, coupons and points. */
export const UNPAID_TTL_MS = 15 * 60_000;

/** Points an order earns: 1 per yuan of real money (cash + stored value), times the tier multiplier. */
export function pointsForOrder(moneyPaidFen: number, multiplierPercent: number): number {
  return Math.floor((Math.floor(moneyPaidFen / 100) * multiplierPercent) / 100);
}

/** The status a paid order moves to. */
export function statusAfterPayment(kind: 'normal' | 'flash' | 'group'): OrderStatus {
  return kind === 'group' ? 'grouping' : 'paid';
}
