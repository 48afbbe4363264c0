import type { Campaign as DomainCampaign } from '@cloud/domain/campaigns'
import type { SegmentDef } from '@cloud/domain/segments'
import {
  CAMPAIGN_KIND_TEXT,
  CAMPAIGN_STATUS_TEXT,
  RUN_STATUS_TEXT,
  STOP_REASON_TEXT,
  TOUCH_STATUS_TEXT,
} from '@cloud/domain/campaign-text'
import type { OrderDoc } from '@cloud/domain/orders'
import { ERROR_TEXT } from '@cloud/domain/error-codes'
import { caller, type ActionName, type Envelope, type Out } from '@/services/cloud'
import { storeName } from '@/services/shop'
import { SOURCE_TEXT as MEMBER_SOURCE_TEXT, stageText, tagText } from '@/utils/crm'
import { shanghaiDateTime, shanghaiDay } from '@/utils/format'

// ---- ops / campaign 云函数（运营后台） ----

type OpsOut<A extends ActionName<'ops'>> = Out<'ops', A>

// 看板：每张图的数据由云端声明推导
export type Dashboard = Required<OpsOut<'dashboard'>>
export type Chart<T> = { data: T; dbCalls?: number; ms?: number }

export type Health = Dashboard['health']['data']

export type LtvRow = Dashboard['ltvBySource']['data'][number]

export type { SegmentDef }

export type SegmentPreview = OpsOut<'previewSegment'>

export type SavedSegment = OpsOut<'listSegments'>['segments'][number]

export type CampaignKind = DomainCampaign['kind']

export type Schedule =
  | { type: 'now' }
  | { type: 'at'; at: number }
  | { type: 'monthly'; day: number; hour: number }
  | { type: 'yearly'; month: number; day: number; hour: number }

export interface CampaignConfig {
  holdoutPercent: number
  frequencyCapDays: number
  quietHours: { start: number; end: number }
  conversionDays: number
}

export interface CampaignInput {
  _id?: string
  name: string
  kind: CampaignKind
  segment: SegmentDef
  offer: { couponTemplateId: string | null }
  message: { templateKey: 'campaign'; page: string; data: { thing1: string } } | null
  schedule: Schedule
  config?: Partial<CampaignConfig>
}

/** skipped / messageFailures 服务端按原因分别计数（对象），也兼容直接给总数 */
export type Count = number | Record<string, number>

export interface RunCounts {
  scanned: number
  touched: number
  holdout: number
  skipped: Count
  coupons: number
  messages: number
  messageFailures: Count
  /** 无券无消息送达（无订阅额度、等级无生日礼）：不算触达，不占频控 */
  notSent?: Count
}

export function countOf(c: Count | undefined): number {
  if (typeof c === 'number') return c
  return Object.values(c ?? {}).reduce((s, n) => s + (Number(n) || 0), 0)
}

export interface CampaignRun {
  _id: string
  status: string
  stopReason?: string | null
  period?: string
  startedAt?: number
  counts: RunCounts
}

// 运营后台的活动：由 listCampaigns 的返回推导
export type Campaign = Out<'campaign', 'listCampaigns'>['campaigns'][number]

export type CampaignResults = Out<'campaign', 'campaignResults'>

export type CouponTemplateRow = OpsOut<'listCouponTemplates'>['templates'][number]

export interface ProductRow {
  _id: string
  name: string
  categoryId: string
  onShelf: boolean
  price?: number
  stock?: number
}

export interface ActivityRow {
  _id: string
  title: string
  price: number
  status: string
  startAt: number
  endAt: number
  stock?: number
  total?: number
  groupSize?: number
}

// 运营订单列表的一行：云端订单文档（只在领域模块声明一次）
export type OrderRow = OrderDoc

export type StaffRow = OpsOut<'listStaff'>['staff'][number]

const ops = caller('ops')

const campaign = caller('campaign')

// 看板：不指定图表时云端返回全部图表；缺任何一张都按服务异常处理，页面拿到的是完整看板
export async function fetchDashboard(): Promise<Envelope<Dashboard>> {
  const res = await ops('dashboard')
  if (!res.ok) return res
  const { byTier, byRfm, lifecycle, health, ltvBySource, ltvByGuide, cohorts } = res.data
  if (!byTier || !byRfm || !lifecycle || !health || !ltvBySource || !ltvByGuide || !cohorts)
    return { ok: false, error: { code: 'INTERNAL', message: ERROR_TEXT.INTERNAL } }
  return { ok: true, data: { byTier, byRfm, lifecycle, health, ltvBySource, ltvByGuide, cohorts } }
}
export const previewSegment = (def: SegmentDef) => ops('previewSegment', { def })
export const saveSegment = (name: string, def: SegmentDef) => ops('saveSegment', { name, def })
export const listSegments = () => ops('listSegments')
export const listCouponTemplates = () => ops('listCouponTemplates')
export const listProducts = () => ops('listProducts')
export const setProductShelf = (id: string, onShelf: boolean) => ops('setProductShelf', { id, onShelf })
export const listActivities = () => ops('listActivities')
export const stopFlashSale = (id: string) => ops('stopFlashSale', { id })
export const stopGroupBuy = (id: string) => ops('stopGroupBuy', { id })
export const listOrders = (status?: string) => ops('listOrders', status ? { status } : {})
export const shipOrder = (id: string) => ops('shipOrder', { id })
export const readyForPickup = (id: string) => ops('readyForPickup', { id })
export const refundOrder = (id: string, reason: string) => ops('refundOrder', { id, reason })
export const listStaff = () => ops('listStaff')

export const saveCampaign = (input: CampaignInput) => campaign('saveCampaign', input)
export const previewCampaign = (id: string) => campaign('previewCampaign', { id })
export const launchCampaign = (id: string) => campaign('launchCampaign', { id })
export const stopCampaign = (id: string) => campaign('stopCampaign', { id })
export const listCampaigns = () => campaign('listCampaigns')
export const fetchCampaignResults = (id: string) => campaign('campaignResults', { id })

// ---- 文案 ----

export const OPS = '/package-ops/pages'

export const TIERS = [
  { _id: 't_normal', name: '普通会员' },
  { _id: 't_silver', name: '银卡会员' },
  { _id: 't_gold', name: '金卡会员' },
  { _id: 't_diamond', name: '钻石会员' },
]

export const KINDS: { key: CampaignKind; label: string }[] = (Object.keys(CAMPAIGN_KIND_TEXT) as CampaignKind[]).map(
  (key) => ({ key, label: CAMPAIGN_KIND_TEXT[key] }),
)

export const kindText = (k: string) => KINDS.find((x) => x.key === k)?.label ?? k

// 活动、发送批次、停止原因与触达状态的文案只在云端领域模块声明一次
export const CAMPAIGN_STATUS: Record<string, string> = CAMPAIGN_STATUS_TEXT
export const RUN_STATUS: Record<string, string> = RUN_STATUS_TEXT
export const STOP_REASON: Record<string, string> = STOP_REASON_TEXT
export const TOUCH_STATUS: Record<string, string> = TOUCH_STATUS_TEXT

// 看板渠道分布：另有“未知”来源
export const SOURCE_TEXT: Record<string, string> = { ...MEMBER_SOURCE_TEXT, none: '未知' }

export function scheduleText(s: Schedule | undefined): string {
  if (!s) return '--'
  switch (s.type) {
    case 'now':
      return '立即发送'
    case 'at':
      return `定时 ${shanghaiDateTime(s.at)}`
    case 'monthly':
      return `每月 ${s.day} 日 ${s.hour}:00`
    case 'yearly':
      return `每年 ${s.month} 月 ${s.day} 日 ${s.hour}:00`
  }
}

// 人群圈选页“用该人群建活动”：把条件带到活动向导（页面间内存传递）
let pendingSegment: SegmentDef | null = null

export function setPendingSegment(def: SegmentDef): void {
  pendingSegment = def
}

export function takePendingSegment(): SegmentDef | null {
  const def = pendingSegment
  pendingSegment = null
  return def
}

export const DEFAULT_CONFIG: CampaignConfig = {
  holdoutPercent: 10,
  frequencyCapDays: 3,
  quietHours: { start: 22, end: 8 },
  conversionDays: 7,
}

// 人群条件的中文描述（服务端 summary 里阶段、等级、标签是代码，这里换成运营看得懂的文字）
let knownCategories: Record<string, string> = {}

// 圈选组件拉到品类后记下名称，供人群描述使用
export function rememberCategories(list: { _id: string; name: string }[]): void {
  knownCategories = Object.fromEntries(list.map((c) => [c._id, c.name]))
}

export function segmentText(
  def: SegmentDef | undefined,
  categoryNames: Record<string, string> = knownCategories,
): string {
  if (!def) return '全部会员'
  const parts: string[] = []
  const tags = (list: string[]) => list.map((t) => tagText(t, categoryNames)).join('、')
  if (def.rfmLayers?.length) parts.push(`RFM：${def.rfmLayers.join('、')}`)
  if (def.stages?.length) parts.push(`阶段：${def.stages.map(stageText).join('、')}`)
  if (def.tierIds?.length)
    parts.push(`等级：${def.tierIds.map((t) => TIERS.find((x) => x._id === t)?.name ?? t).join('、')}`)
  if (def.storeIds?.length) parts.push(`门店：${def.storeIds.map(storeName).join('、')}`)
  const dayOr = (ms: number | undefined) => (ms ? shanghaiDay(ms) : '不限')
  if (def.tagsAll?.length) parts.push(`同时具有：${tags(def.tagsAll)}`)
  if (def.tagsAny?.length) parts.push(`任一标签：${tags(def.tagsAny)}`)
  if (def.tagsNone?.length) parts.push(`排除：${tags(def.tagsNone)}`)
  if (def.lastOrderFrom || def.lastOrderTo)
    parts.push(`最近下单：${dayOr(def.lastOrderFrom)} 至 ${dayOr(def.lastOrderTo)}`)
  if (def.minOrders !== undefined) parts.push(`订单数 ≥ ${def.minOrders}`)
  if (def.hasPhone !== undefined) parts.push(def.hasPhone ? '已绑手机' : '未绑手机')
  return parts.join('；') || '全部会员'
}
