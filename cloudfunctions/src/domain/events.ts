// Behavior events from the client tracker: which types a client may send, what is valid, and the
// per-member rate limit. Purchases, refunds, check-ins and redemptions are written by the server only.

/** Types the client tracker may send. */
export const CLIENT_EVENT_TYPES = ['page_view', 'product_view', 'favorite', 'add_to_cart', 'share', 'consult', 'search'] as const;
/** Types only the server records (never accepted from a client). */
export const SERVER_EVENT_TYPES = ['purchase', 'refund', 'checkin', 'redeem'] as const;
/** A client event type. */
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

/** An event as the tracker sends it. */
export interface ClientEvent { id: string; type: string; ts: number; page?: string; productId?: string; categoryId?: string; dwellMs?: number; keyword?: string }

/** How far a client clock may run ahead, and how old a queued event may be. */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_AGE_MS = 3 * 24 * 3600_000;
/** Events per member per minute beyond which the tracker is throttled. */
export const EVENTS_PER_MINUTE = 120;

/** Splits a batch into accepted events and rejected ones with reasons. */
export function screenEvents(batch: ClientEvent[], now: number): { accepted: ClientEvent[]; rejected: { id: string; reason: string }[] } {
  const accepted: ClientEvent[] = [];
  const rejected: { id: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const e of batch) {
    const reason = (SERVER_EVENT_TYPES as readonly string[]).includes(e.type) ? 'SERVER_ONLY_TYPE'
      : !(CLIENT_EVENT_TYPES as readonly string[]).includes(e.type) ? 'UNKNOWN_TYPE'
      : e.ts > now + MAX_FUTURE_MS ? 'FUTURE_TIMESTAMP'
      : e.ts < now - MAX_AGE_MS ? 'TOO_OLD'
      : seen.has(e.id) ? 'DUPLICATE'
      : (e.type === 'product_view' || e.type === 'favorite' || e.type === 'add_to_cart') && !e.productId ? 'MISSING_PRODUCT'
      : null;
    if (reason) rejected.push({ id: e.id, reason });
    else { seen.add(e.id); accepted.push(e); }
  }
  return { accepted, rejected };
}

/** The rate-limit bucket of an instant (one per minute). */
export const rateBucket = (now: number): string => String(Math.floor(now / 60_000));
