// Payment callback handlers by outTradeNo prefix (SV top-ups, OD orders, …) plus `refund`.
import type { Database } from 'wx-server-sdk';

/** Handles one delivery of a callback; must be idempotent. */
export type PaymentHandler = (
  db: Database,
  // The payment callback's event, as WeChat Pay sends it (validated by each handler).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  event: Record<string, any>,
  now: number,
) => Promise<{ errcode: number; errmsg: string }>;

/** The handlers, filled in by each payment kind. */
export const paymentHandlers: Record<string, PaymentHandler> = {};
