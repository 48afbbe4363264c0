import type { Campaign as DomainCampaign } from '@cloud/domain/campaigns'
import type { SegmentDef } from '@cloud/domain/segments'
import {
  CAMPAIGN_KIND_TEXT,
  CAMPAIGN_STATUS_TEXT,
  DEFAULT_CAMPAIGN_CONFIG,
  RUN_STATUS_TEXT,
  STOP_REASON_TEXT,
  TOUCH_STATUS_TEXT,
} from '@cloud/domain/campaign-text'
import type { OrderDoc } from '@cloud/domain/orders'
import { ERROR_TEXT } from '@cloud/domain/error-codes'
import { caller, type ActionName, type Envelope, type In, type Out } from '@/services/cloud'
import { cachedLoader } from '@/utils/cached'
import { fetchCategories, loadStores } from '@/services/shop'
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

// 活动的排期、发送规则与保存入参：云端领域模块与 saveCampaign 的入参声明
export type Schedule = DomainCampaign['schedule']

export type CampaignConfig = DomainCampaign['config']

export type CampaignInput = In<'campaign', 'saveCampaign'>

/** skipped / messageFailures 服务端按原因分别计数 */
export type Count = number | Record<string, number>

export function countOf(c: Count | undefined): number {
  if (typeof c === 'number') return c
  return Object.values(c ?? {}).reduce((s, n) => s + (Number(n) || 0), 0)
}

// 运营后台的活动：由 listCampaigns 的返回推导
export type Campaign = Out<'campaign', 'listCampaigns'>['campaigns'][number]

export type CampaignResults = Out<'campaign', 'campaignResults'>

export type CouponTemplateRow = OpsOut<'listCouponTemplates'>['templates'][number]

export type ProductRow = OpsOut<'listProducts'>['products'][number]

type Activities = OpsOut<'listActivities'>

export type ActivityRow = Activities['flashSales'][number] | Activities['groupBuys'][number]

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

// 活动发送规则的默认值（与云端同一份声明）
export const DEFAULT_CONFIG: CampaignConfig = DEFAULT_CAMPAIGN_CONFIG

// 人群条件里的品类、等级、门店名称：来自云端（品类、等级梯度、门店），本次运行内缓存
export type Named = { _id: string; name: string }
export type SegmentNames = { categories: Named[]; tiers: Named[]; stores: Named[] }

const segmentNames = cachedLoader<SegmentNames>(
  async () => {
    const [c, t, stores] = await Promise.all([fetchCategories(), ops('listTiers'), loadStores()])
    const value: SegmentNames = {
      categories: c.ok ? c.data.categories : [],
      tiers: t.ok ? [...t.data.tiers].sort((a, b) => a.level - b.level) : [],
      stores,
    }
    // 某项失败时该项为空，下次再取
    return { value, keep: c.ok && t.ok && stores.length > 0 }
  },
  { categories: [], tiers: [], stores: [] },
)

// 页面里用的名称
export const useSegmentNames = segmentNames.useValue

const nameIn = (list: Named[], id: string) => list.find((x) => x._id === id)?.name ?? id

// 人群条件的中文描述（服务端 summary 里阶段、等级、标签是代码，这里换成运营看得懂的文字）
export function segmentText(def: SegmentDef | undefined, names: SegmentNames): string {
  if (!def) return '全部会员'
  const categoryNames = Object.fromEntries(names.categories.map((c) => [c._id, c.name]))
  const parts: string[] = []
  const tags = (list: string[]) => list.map((t) => tagText(t, categoryNames)).join('、')
  if (def.rfmLayers?.length) parts.push(`RFM：${def.rfmLayers.join('、')}`)
  if (def.stages?.length) parts.push(`阶段：${def.stages.map(stageText).join('、')}`)
  if (def.tierIds?.length) parts.push(`等级：${def.tierIds.map((t) => nameIn(names.tiers, t)).join('、')}`)
  if (def.storeIds?.length) parts.push(`门店：${def.storeIds.map((s) => nameIn(names.stores, s)).join('、')}`)
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
