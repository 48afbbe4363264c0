// Customer intelligence on the member documents: behavior aggregates per day, rule tags recomputed
// incrementally, and the nightly job that scores RFM, stages and predicted tags for every member
// in chunks of 1,000 from a cursor, saving its state so a later invocation resumes where it stopped.
import type { Database, Doc } from 'wx-server-sdk';
import { stageOf } from '../domain/lifecycle';
import type { PurchaseStats } from '../domain/orders';
import { addToHistogram, buildModel, Histogram, MonthlyStats, rawRfm, RfmModel, scoreMember } from '../domain/rfm';
import { RfmWindow, rfmWindow } from '../domain/rfm';
import { addCoPurchase, bestNextCategory, ruleTags, TagContext, TagSubject } from '../domain/tags';
import { isSafeKey, own } from '../domain/safe-keys';
import { shanghaiDay } from '../domain/time';
import { getConfig } from './config';

/** The brand model the nightly job publishes (next-category map, category names, RFM thresholds). */
export interface CrmModel {
  day: string | null;
  nextCategory: Record<string, string>;
  categoryNames: Record<string, string>;
  rfm: RfmModel | null;
}
const EMPTY_MODEL: CrmModel = { day: null, nextCategory: {}, categoryNames: {}, rfm: null };

/** The published model (cached in the warm instance). */
export const loadCrmModel = (db: Database, now: number): Promise<CrmModel> =>
  getConfig<CrmModel>(db, 'crm_model', EMPTY_MODEL, now);

let categoryCache: { at: number; ids: Set<string> } | null = null;

/** The brand's category ids (the tracker's allow-list for category keys), cached 30 s in a warm instance. */
export async function knownCategories(db: Database, now: number): Promise<Set<string>> {
  if (categoryCache && now - categoryCache.at < 30_000) return categoryCache.ids;
  const { data } = await db.collection('categories').limit(100).field({ _id: true }).get();
  categoryCache = { at: now, ids: new Set(data.map((c) => String(c._id)).filter(isSafeKey)) };
  return categoryCache.ids;
}

/** Tag context for a run at `now`. */
export const tagContext = (model: CrmModel, now: number): TagContext => ({
  now,
  today: shanghaiDay,
  nextCategory: model.nextCategory,
  categoryNames: model.categoryNames,
});

/** A member's full tag list: rule tags plus the manual tags guides and operators added. */
export function allTags(m: TagSubject & { manualTags?: { tag: string }[] }, ctx: TagContext): string[] {
  return [...new Set([...ruleTags(m, ctx), ...(m.manualTags ?? []).map((t) => `manual:${t.tag}`)])].sort();
}

const sameList = (a: unknown, b: string[]) =>
  Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether a stored tag list differs from a computed one. */
export const tagsChanged = (stored: unknown, next: string[]): boolean => !sameList(stored, next);

// Drops behavior days older than 30 days, and any key that is not safe (data written before keys were
// checked); returns null when nothing changed. Only safe keys survive, so plain objects are safe here.
function prunedBehavior(b: TagSubject['behavior'], now: number): TagSubject['behavior'] | null {
  if (!b) return null;
  const from = shanghaiDay(now - 30 * 24 * 3600_000);
  let changed = false;
  const out: NonNullable<TagSubject['behavior']> = {};
  for (const [type, cats] of Object.entries(b)) {
    if (!isSafeKey(type)) {
      changed = true;
      continue;
    }
    for (const [cat, days] of Object.entries(cats ?? {})) {
      if (!isSafeKey(cat)) {
        changed = true;
        continue;
      }
      const kept = Object.fromEntries(Object.entries(days ?? {}).filter(([d]) => isSafeKey(d) && d >= from));
      if (Object.keys(kept).length !== Object.keys(days ?? {}).length) changed = true;
      if (Object.keys(kept).length) (own(out, type) ?? (out[type] = {}))[cat] = kept;
    }
  }
  return changed ? out : null;
}

/** State of the nightly job, kept in `jobs/crm-nightly`. */
export interface CrmJobState {
  _id: string;
  day: string;
  phase: 'distribution' | 'scoring' | 'done';
  cursor: string;
  hist: { r: Histogram; f: Histogram; m: Histogram; buyers: number };
  pairs: Record<string, Record<string, number>>;
  progress: {
    invocations: number;
    chunks: number;
    docsRead: number;
    writes: number;
    changed: number;
    startedAt: number;
    finishedAt: number | null;
  };
}

const DEFAULT_CHUNK = 1000;
const JOB_ID = 'crm-nightly';

/** One invocation of the nightly job: works until the budget is spent or the day's run is done. */
export async function runCrmNightly(
  db: Database,
  now: number,
  opts: { budgetMs?: number; chunk?: number } = {},
): Promise<CrmJobState['progress'] & { phase: CrmJobState['phase'] }> {
  const started = Date.now();
  const budgetMs = opts.budgetMs ?? 50_000;
  const CHUNK = opts.chunk ?? DEFAULT_CHUNK;
  let chunksThisRun = 0;
  // At least one chunk per invocation, so even a tiny budget always makes progress.
  const inBudget = () => chunksThisRun === 0 || Date.now() - started < budgetMs;
  const _ = db.command;
  const day = shanghaiDay(now);
  const { data: jobs } = await db.collection('jobs').where({ _id: JOB_ID }).limit(1).get();
  let state = jobs[0] as CrmJobState | undefined;
  if (!state || state.day !== day) {
    state = {
      _id: JOB_ID,
      day,
      phase: 'distribution',
      cursor: '',
      hist: { r: {}, f: {}, m: {}, buyers: 0 },
      pairs: {},
      progress: { invocations: 0, chunks: 0, docsRead: 0, writes: 0, changed: 0, startedAt: now, finishedAt: null },
    };
  }
  if (state.phase === 'done') return { ...state.progress, phase: 'done' };
  state.progress.invocations++;
  const { windowMonths } = await getConfig(db, 'rfm', { windowMonths: 12 }, now);
  // One window for the whole run: the distribution and every member's score use the same months.
  const window = rfmWindow(now, windowMonths);
  const save = async () => {
    const { _id, ...rest } = state!;
    await db
      .collection('jobs')
      .doc(_id)
      .set({ data: JSON.parse(JSON.stringify(rest)) });
    state!.progress.writes++;
  };

  // Phase 1: the brand's distribution of R, F, M and co-purchase pairs, over buyers only.
  while (state.phase === 'distribution' && inBudget()) {
    const { data } = await db
      .collection('members')
      .where(_.and([{ 'stats.lastOrderAt': _.gt(0) }, { _id: _.gt(state.cursor) }]))
      .orderBy('_id', 'asc')
      .limit(CHUNK)
      .field({ _id: true, stats: true, mergedInto: true })
      .get();
    state.progress.chunks++;
    chunksThisRun++;
    state.progress.docsRead += data.length;
    for (const m of data) {
      if (m.mergedInto) continue;
      const raw = rawRfm((m.stats?.months ?? {}) as MonthlyStats, m.stats?.lastOrderAt ?? null, window);
      if (raw) {
        addToHistogram(state.hist.r, raw.recencyDays);
        addToHistogram(state.hist.f, raw.frequency);
        addToHistogram(state.hist.m, raw.monetary);
        state.hist.buyers++;
      }
      addCoPurchase(state.pairs, m.stats?.categoryIds ?? []);
    }
    const tail = data[data.length - 1];
    if (!tail || data.length < CHUNK) {
      const { data: cats } = await db.collection('categories').limit(100).get();
      const model: CrmModel = {
        day,
        rfm: state.hist.buyers ? buildModel(state.hist) : null,
        categoryNames: Object.fromEntries(cats.map((c) => [c._id, String(c.name)])),
        nextCategory: bestNextCategory(state.pairs),
      };
      await db
        .collection('config')
        .doc('crm_model')
        .set({ data: { value: JSON.parse(JSON.stringify(model)), updatedAt: now, updatedBy: 'crm-nightly' } });
      state.phase = 'scoring';
      state.cursor = '';
    } else {
      state.cursor = tail._id;
    }
    await save();
  }

  // Phase 2: every member's RFM layer, stage and tags; only changed members are written.
  if (state.phase === 'scoring') {
    const { data: cfg } = await db.collection('config').where({ _id: 'crm_model' }).limit(1).get();
    const model = (cfg[0]?.value ?? EMPTY_MODEL) as CrmModel;
    const ctx = tagContext(model, now);
    while (state.phase === 'scoring' && inBudget()) {
      const { data } = await db
        .collection('members')
        .where({ _id: _.gt(state.cursor) })
        .orderBy('_id', 'asc')
        .limit(CHUNK)
        .field({
          _id: true,
          stats: true,
          behavior: true,
          source: true,
          gender: true,
          birthday: true,
          city: true,
          manualTags: true,
          tags: true,
          rfm: true,
          stage: true,
          mergedInto: true,
        })
        .get();
      state.progress.chunks++;
      chunksThisRun++;
      state.progress.docsRead += data.length;
      const writes: Promise<unknown>[] = [];
      for (const m of data) {
        if (m.mergedInto) continue;
        const patch = memberPatch(m, model, ctx, now, window);
        if (!patch) continue;
        writes.push(
          db
            .collection('members')
            .doc(m._id)
            .update({
              data: Object.fromEntries(
                Object.entries(patch).map(([k, v]) => [k, v && typeof v === 'object' ? _.set(v) : v]),
              ),
            }),
        );
      }
      await Promise.all(writes);
      state.progress.writes += writes.length;
      state.progress.changed += writes.length;
      const tail = data[data.length - 1];
      if (!tail || data.length < CHUNK) {
        state.phase = 'done';
        state.progress.finishedAt = Date.now();
      } else state.cursor = tail._id;
      await save();
    }
  }
  return { ...state.progress, phase: state.phase };
}

/** What the nightly job would change on one member, or null if nothing. */
export function memberPatch(
  m: Doc,
  model: CrmModel,
  ctx: TagContext,
  now: number,
  window: RfmWindow,
): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  const behavior = prunedBehavior(m.behavior, now);
  if (behavior) patch.behavior = behavior;
  const subject = { ...m, behavior: behavior ?? m.behavior } as TagSubject & { manualTags?: { tag: string }[] };
  const tags = allTags(subject, ctx);
  if (tagsChanged(m.tags, tags)) patch.tags = tags;
  const stats = (m.stats ?? {}) as Partial<PurchaseStats> & { months?: MonthlyStats };
  const stage = stageOf(
    {
      orderCount: Number(stats.orderCount ?? 0),
      firstOrderAt: stats.firstOrderAt ?? null,
      lastOrderAt: stats.lastOrderAt ?? null,
    },
    now,
  );
  if (m.stage !== stage) patch.stage = stage;
  const raw = model.rfm ? rawRfm(stats.months ?? {}, stats.lastOrderAt ?? null, window) : null;
  const rfm = raw && model.rfm ? scoreMember(raw, model.rfm) : null;
  const cur = m.rfm as { r: number; f: number; m: number; layer: string } | null | undefined;
  if (
    (rfm === null) !== (cur === null || cur === undefined) ||
    (rfm && cur && (rfm.r !== cur.r || rfm.f !== cur.f || rfm.m !== cur.m || rfm.layer !== cur.layer))
  )
    patch.rfm = rfm;
  return Object.keys(patch).length ? patch : null;
}
