// Behavior events from the client tracker: which types a client may send, what is valid, and the
// per-member rate limit. Purchases, refunds, check-ins and redemptions are written by the server only.
import { dict, isSafeKey, own } from './safe-keys';

/** Types the client tracker may send. */
export const CLIENT_EVENT_TYPES = [
  'page_view',
  'product_view',
  'favorite',
  'add_to_cart',
  'share',
  'consult',
  'search',
] as const;
/** Types only the server records (never accepted from a client). */
export const SERVER_EVENT_TYPES = ['purchase', 'refund', 'checkin', 'redeem'] as const;
/** A client event type. */
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];
/** A server event type. */
export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];

/**
 * A stored behaviour event (collection `events`). A tracker event carries every field (null when unset) and when it
 * arrived; a server event carries what happened (the order, its amount and categories, the channel).
 */
export type EventDoc = {
  _id: string;
  memberId: string;
  type: ClientEventType | ServerEventType;
  ts: number;
  origin: 'client' | 'server';
  page?: string | null;
  productId?: string | null;
  categoryId?: string | null;
  dwellMs?: number | null;
  keyword?: string | null;
  receivedAt?: number;
  orderId?: string;
  amount?: number;
  categoryIds?: string[];
  channel?: string;
};

/** What a server event records besides its type and time. */
export type ServerEventData = Pick<EventDoc, 'orderId' | 'amount' | 'categoryIds' | 'channel'>;

/** The stored form of a tracker event accepted by `screenEvents` (id `${memberId}:${the client's id}`). */
export function newTrackedEvent(memberId: string, e: ClientEvent, receivedAt: number): EventDoc {
  return {
    _id: `${memberId}:${e.id}`,
    memberId,
    type: e.type as ClientEventType,
    ts: e.ts,
    page: e.page ?? null,
    productId: e.productId ?? null,
    categoryId: e.categoryId ?? null,
    dwellMs: e.dwellMs ?? null,
    keyword: e.keyword ?? null,
    origin: 'client',
    receivedAt,
  };
}

/** A server-side event (purchase, refund, check-in, redemption) without its id: never taken from a client. */
export function newServerEvent(
  memberId: string,
  type: ServerEventType,
  data: ServerEventData,
  now: number,
): Omit<EventDoc, '_id'> {
  return { memberId, type, ...data, ts: now, origin: 'server' };
}

/** An event as the tracker sends it. */
export interface ClientEvent {
  id: string;
  type: string;
  ts: number;
  page?: string;
  productId?: string;
  categoryId?: string;
  dwellMs?: number;
  keyword?: string;
}

/** How far a client clock may run ahead, and how old a queued event may be. */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_AGE_MS = 3 * 24 * 3600_000;
/** Events per member per minute beyond which the tracker is throttled. */
export const EVENTS_PER_MINUTE = 120;

/** A rejected event and why. */
export interface Rejected {
  id: string;
  reason: string;
}

/** Splits a batch into accepted and rejected events (with reasons); a category must be in `categories` when given. */
export function screenEvents(
  batch: ClientEvent[],
  now: number,
  categories?: ReadonlySet<string>,
): { accepted: ClientEvent[]; rejected: Rejected[] } {
  const accepted: ClientEvent[] = [];
  const rejected: { id: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const e of batch) {
    const reason = (SERVER_EVENT_TYPES as readonly string[]).includes(e.type)
      ? 'SERVER_ONLY_TYPE'
      : !(CLIENT_EVENT_TYPES as readonly string[]).includes(e.type)
        ? 'UNKNOWN_TYPE'
        : e.ts > now + MAX_FUTURE_MS
          ? 'FUTURE_TIMESTAMP'
          : e.ts < now - MAX_AGE_MS
            ? 'TOO_OLD'
            : seen.has(e.id)
              ? 'DUPLICATE'
              : (e.type === 'product_view' || e.type === 'favorite' || e.type === 'add_to_cart') && !e.productId
                ? 'MISSING_PRODUCT'
                : e.categoryId !== undefined && !knownCategory(e.categoryId, categories)
                  ? 'UNKNOWN_CATEGORY'
                  : null;
    if (reason) rejected.push({ id: e.id, reason });
    else {
      seen.add(e.id);
      accepted.push(e);
    }
  }
  return { accepted, rejected };
}

// A category becomes a key of the member's aggregates: a safe key, and one of the brand's when they are known.
const knownCategory = (c: string, categories?: ReadonlySet<string>) =>
  isSafeKey(c) && (!categories || categories.has(c));

/** The rate-limit bucket of an instant (one per minute). */
export const rateBucket = (now: number): string => String(Math.floor(now / 60_000));

/** What tallying needs of an event. */
export interface TalliedEvent {
  type: string;
  ts: number;
  categoryId?: string | null;
}

/** Behavior aggregates on a member: type → category → Shanghai day → count. */
export type BehaviorAggregates = Record<string, Record<string, Record<string, number>>>;

/**
 * Adds accepted events to a member's behavior aggregates. Returns the new aggregates (prototype-free
 * objects holding only safe keys) and the per-path increments to store (`behavior.<type>.<cat>.<day>`).
 */
export function tallyBehavior(
  current: BehaviorAggregates | undefined,
  events: TalliedEvent[],
  dayOf: (ms: number) => string,
): { behavior: BehaviorAggregates; incs: Map<string, number> } {
  const behavior = dict<Record<string, Record<string, number>>>();
  for (const [type, cats] of Object.entries(current ?? {})) {
    if (!isSafeKey(type) || !cats || typeof cats !== 'object') continue;
    const row = (behavior[type] = dict<Record<string, number>>());
    for (const [cat, days] of Object.entries(cats)) {
      if (!isSafeKey(cat) || !days || typeof days !== 'object') continue;
      row[cat] = Object.assign(dict<number>(), Object.fromEntries(Object.entries(days).filter(([d]) => isSafeKey(d))));
    }
  }
  const incs = new Map<string, number>();
  for (const e of events) {
    if (!e.categoryId || !isSafeKey(e.type) || !isSafeKey(e.categoryId)) continue;
    const day = dayOf(e.ts);
    const key = `behavior.${e.type}.${e.categoryId}.${day}`;
    incs.set(key, (incs.get(key) ?? 0) + 1);
    const byType = own(behavior, e.type) ?? (behavior[e.type] = dict<Record<string, number>>());
    const byCat = own(byType, e.categoryId) ?? (byType[e.categoryId] = dict<number>());
    byCat[day] = (own(byCat, day) ?? 0) + 1;
  }
  return { behavior, incs };
}
