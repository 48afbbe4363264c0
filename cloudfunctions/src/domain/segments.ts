// Segments: an operator's definition (tags, RFM layers, lifecycle, tier, store, guide, dates)
// compiled to one database condition, so counting and sampling run in the database.
import { STAGE_TEXT } from './lifecycle';
import { own } from './safe-keys';
import type { RfmLayer } from './rfm';

/** A segment definition as saved by the operator. */
export interface SegmentDef {
  tagsAll?: string[];
  tagsAny?: string[];
  tagsNone?: string[];
  rfmLayers?: RfmLayer[];
  stages?: string[];
  tierIds?: string[];
  storeIds?: string[];
  guideIds?: string[];
  joinedFrom?: number;
  joinedTo?: number;
  lastOrderFrom?: number;
  lastOrderTo?: number;
  minOrders?: number;
  hasPhone?: boolean;
}

/** A saved segment (collection `segments`): its definition, how it reads, and its last count. */
export interface SavedSegment {
  _id: string;
  name: string;
  def: SegmentDef;
  summary: string;
  lastCount: number;
  countedAt: number;
  updatedAt: number;
  createdAt?: number;
  /** The operator who saved it (OPENID). */
  by: string;
}

/** The database command builder (db.command), passed in so the domain stays free of the SDK. */
export interface Cmd {
  in(v: unknown[]): unknown;
  nin(v: unknown[]): unknown;
  all(v: unknown[]): unknown;
  gte(v: unknown): unknown;
  lte(v: unknown): unknown;
  and(...v: unknown[]): unknown;
  exists(v: boolean): unknown;
  neq(v: unknown): unknown;
}

/** Compiles a definition into a `where()` condition over members; an empty definition is everyone. */
export function segmentWhere(def: SegmentDef, _: Cmd): Record<string, unknown> {
  // Customers only: merged-away records and staff members' own accounts never belong to a segment.
  const w: Record<string, unknown> = { mergedInto: _.exists(false), staffAccount: _.neq(true) };
  const tagConds: unknown[] = [];
  if (def.tagsAll?.length) tagConds.push(_.all(def.tagsAll));
  if (def.tagsAny?.length) tagConds.push(_.in(def.tagsAny));
  if (def.tagsNone?.length) tagConds.push(_.nin(def.tagsNone));
  if (tagConds.length === 1) w.tags = tagConds[0];
  else if (tagConds.length > 1) w.tags = (_.and as (...a: unknown[]) => unknown)(...tagConds);
  if (def.rfmLayers?.length) w['rfm.layer'] = _.in(def.rfmLayers);
  if (def.stages?.length) w.stage = _.in(def.stages);
  if (def.tierIds?.length) w.tierId = _.in(def.tierIds);
  if (def.storeIds?.length) w.storeId = _.in(def.storeIds);
  if (def.guideIds?.length) w.guideId = _.in(def.guideIds);
  const range = (from?: number, to?: number) =>
    from !== undefined && to !== undefined
      ? _.and(_.gte(from), _.lte(to))
      : from !== undefined
        ? _.gte(from)
        : to !== undefined
          ? _.lte(to)
          : undefined;
  const joined = range(def.joinedFrom, def.joinedTo);
  if (joined) w.joinedAt = joined;
  const last = range(def.lastOrderFrom, def.lastOrderTo);
  if (last) w['stats.lastOrderAt'] = last;
  if (def.minOrders !== undefined) w['stats.orderCount'] = _.gte(def.minOrders);
  if (def.hasPhone !== undefined) w.phone = _.exists(def.hasPhone);
  return w;
}

/** Readable summary of a definition for the console; `label` turns tag codes into Chinese. */
export function describeSegment(def: SegmentDef, label: (tag: string) => string = (t) => t): string {
  const parts: string[] = [];
  const tags = (list: string[]) => list.map(label).join('、');
  if (def.rfmLayers?.length) parts.push(`RFM：${def.rfmLayers.join('、')}`);
  if (def.stages?.length) parts.push(`阶段：${def.stages.map((s) => own(STAGE_TEXT, s) ?? s).join('、')}`);
  if (def.tagsAll?.length) parts.push(`同时具有：${tags(def.tagsAll)}`);
  if (def.tagsAny?.length) parts.push(`任一标签：${tags(def.tagsAny)}`);
  if (def.tagsNone?.length) parts.push(`排除：${tags(def.tagsNone)}`);
  if (def.tierIds?.length) parts.push(`等级：${def.tierIds.join('、')}`);
  if (def.storeIds?.length) parts.push(`门店：${def.storeIds.join('、')}`);
  if (def.minOrders !== undefined) parts.push(`订单 ≥ ${def.minOrders}`);
  return parts.join('；') || '全部会员';
}
