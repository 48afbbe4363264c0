// Derives the membership state the member function keeps on each member (rolling growth per month,
// check-in streak, tier review date, ONE ID bindings) from the generated history, using the same
// domain rules the functions use, so seeded members behave exactly like members made by use.
import { currentStreak } from '../domain/checkin';
import { DEFAULT_TIERS, growthForPayment } from '../domain/tiers';
import { shanghaiMonth } from '../domain/time';

type AnyDoc = Record<string, unknown> & { _id: string };
const YEAR_MS = 365 * 24 * 3600_000;

/** Adds growthByMonth, checkin, tierReviewAt to members, keep thresholds to tiers, and an identities collection. */
export function addMembershipState(data: Record<string, AnyDoc[]>, now: number): void {
  const growth = new Map<string, Record<string, number>>();
  for (const o of data.orders ?? []) {
    if (o.status !== 'completed') continue;
    const paidAt = Number(o.paidAt ?? o.createdAt);
    if (paidAt < now - YEAR_MS) continue;
    const m = growth.get(String(o.memberId)) ?? {};
    const month = shanghaiMonth(paidAt);
    m[month] = (m[month] ?? 0) + growthForPayment(Number(o.payAmount));
    growth.set(String(o.memberId), m);
  }
  const days = new Map<string, Set<string>>();
  for (const c of data.checkins ?? []) {
    const s = days.get(String(c.memberId)) ?? new Set<string>();
    s.add(String(c.day));
    days.set(String(c.memberId), s);
  }
  const identities: AnyDoc[] = [];
  for (const m of data.members ?? []) {
    m.growthByMonth = growth.get(m._id) ?? {};
    const checked = days.get(m._id);
    const lastDay = checked ? [...checked].sort().pop()! : null;
    m.checkin = { lastDay, streak: checked ? currentStreak(checked, now) : 0 };
    // Reviews spread over the coming year, as if each tier was reached on the member's join anniversary.
    const joined = Number(m.joinedAt);
    m.tierReviewAt = joined + Math.ceil((now - joined) / YEAR_MS) * YEAR_MS;
    if (m.phone) identities.push({ _id: `phone:${m.phone}`, memberId: m._id, createdAt: joined });
    if (m.unionid) identities.push({ _id: `unionid:${m.unionid}`, memberId: m._id, createdAt: joined });
  }
  data.identities = identities;
  for (const t of data.tiers ?? []) {
    const def = DEFAULT_TIERS.find((d) => d._id === t._id);
    if (def && t.keepThreshold === undefined) t.keepThreshold = def.keepThreshold;
  }
}
