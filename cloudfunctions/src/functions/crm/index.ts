// Cloud function `crm`: the behavior tracker's endpoint (batched client events, de-duplicated,
// rate-limited, aggregated onto the member with tags recomputed) and the nightly intelligence job.
import * as cloud from 'wx-server-sdk';
import {
  BehaviorAggregates,
  EVENTS_PER_MINUTE,
  newTrackedEvent,
  rateBucket,
  screenEvents,
  tallyBehavior,
} from '../../domain/events';
import { TagSubject } from '../../domain/tags';
import { shanghaiDay } from '../../domain/time';
import { AppError } from '../../lib/errors';
import { action, ApiOf, createMain } from '../../lib/handler';
import { safeId, safeKey } from '../../lib/schemas';
import { allTags, knownCategories, loadCrmModel, runCrmNightly, tagContext } from '../../store/intelligence';
import { tagsChanged } from '../../store/intelligence';
import { takeFromCounter } from '../../store/counters';
import { isDuplicateKey } from '../../store/db-errors';
import { requireMember } from '../../store/members';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const eventSchema = {
  type: 'object',
  required: ['id', 'type', 'ts'],
  additionalProperties: false,
  properties: {
    // type and categoryId become keys of the member's behavior aggregates: safe keys only, then allow-listed.
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{6,40}$' },
    type: safeKey(20),
    ts: { type: 'integer', minimum: 0 },
    page: { type: 'string', maxLength: 100 },
    productId: safeId,
    categoryId: safeId,
    dwellMs: { type: 'integer', minimum: 0, maximum: 3600000 },
    keyword: { type: 'string', maxLength: 30 },
  },
} as const;

// A per-member, per-minute counter taken with one conditional update: a flood from one member is
// cut off without slowing anyone else.
const takeRate = (db: cloud.Database, memberId: string, n: number, now: number): Promise<boolean> =>
  takeFromCounter(
    db,
    'rate_limits',
    `${memberId}:${rateBucket(now)}`,
    { expiresAt: now + 120_000 },
    n,
    EVENTS_PER_MINUTE,
  );

const track = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['events'],
    additionalProperties: false,
    properties: { events: { type: 'array', minItems: 1, maxItems: 50, items: eventSchema } },
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const { accepted, rejected } = screenEvents(input.events, now, await knownCategories(db, now));
    if (!accepted.length) return { accepted: 0, duplicates: 0, rejected };
    if (!(await takeRate(db, m._id, accepted.length, now))) throw new AppError('RATE_LIMITED');
    const docs = accepted.map((e) => newTrackedEvent(m._id, e, now));
    // One batch insert; a replayed batch (the tracker retries on network errors) falls back to one by one.
    let fresh = docs;
    try {
      await db.collection('events').add({ data: docs as never });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const kept: typeof docs = [];
      for (const d of docs) {
        try {
          await db.collection('events').add({ data: d });
          kept.push(d);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      fresh = kept;
    }
    if (!fresh.length) return { accepted: 0, duplicates: docs.length, rejected };
    // Behavior aggregates per type → category → Shanghai day, and the tags they imply, in one update.
    const _ = db.command;
    const { behavior, incs } = tallyBehavior(m.behavior as BehaviorAggregates | undefined, fresh, shanghaiDay);
    const tags = allTags({ ...(m as TagSubject), behavior }, tagContext(await loadCrmModel(db, now), now));
    const data: Record<string, unknown> = Object.fromEntries([...incs].map(([k, v]) => [k, _.inc(v)]));
    if (tagsChanged(m.tags, tags)) data.tags = _.set(tags);
    data.lastActiveAt = now;
    await db.collection('members').doc(m._id).update({ data });
    return { accepted: fresh.length, duplicates: docs.length - fresh.length, rejected, tags };
  },
});

/** The actions of this function, by name. */
export const actions = { track };

/** Each action's validated input and its result (the client's contract, see functions/api.ts). */
export type Api = ApiOf<typeof actions>;

/** Entry point. */
// Budget and chunk size can be narrowed by the local cloud's trigger (tests of resuming);
// WeChat's timer never sets them.
export const main = createMain(actions, {
  onTimer: ({ db, now, event }) => runCrmNightly(db, now, { budgetMs: num(event.BudgetMs), chunk: num(event.Chunk) }),
});

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
