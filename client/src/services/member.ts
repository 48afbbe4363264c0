import { toast } from '@/utils/ui'
import { callCloud, type Envelope } from './cloud'

// ---- 类型（member 云函数的返回） ----

export type Gender = 'male' | 'female' | 'unknown'

// 今年底将过期的积分
export interface Expiring {
  amount: number
  at: number
}

// 会员档案（me / tiers 返回的 member）
export interface Member {
  _id: string
  openid: string
  nickname: string
  avatar: string
  gender: Gender
  birthday: string | null
  city: string
  phoneBound: boolean
  points: number
  /** 储值余额（分） */
  balance: number
  growth: number
  tierId: string
  tierName: string
  tierLevel: number
  benefits: string[]
  nextTierName: string | null
  growthToNext: number | null
  checkedInToday: boolean
  streak: number
  expiring: Expiring
  storeId: string | null
  guideId: string | null
  joinedAt: number
}

export interface MeResult {
  member: Member
  created: boolean
  /** 带邀请人参数启动时的邀请结果（rewarded = 双方奖励已发放） */
  referral?: {
    ok: boolean
    code?: string
    rewarded?: boolean
    pending?: boolean
    qualifyBy?: 'phone' | 'first_order'
  } | null
}

export interface CheckinResult {
  day: string
  streak: number
  points: number
  bonus: number
  /** 签到后的积分余额 */
  balance: number
}

export interface CheckinRules {
  basePoints: number
  bonuses: { day: number; points: number }[]
  /** 连签奖励的循环周期（服务端暂未返回时按最大奖励天数推算） */
  cycleDays?: number
  makeup: { enabled: boolean; costPoints: number; maxDaysBack: number }
}

export interface CalendarResult {
  month: string
  today: string
  days: string[]
  streak: number
  checkedInToday: boolean
  rules: CheckinRules
}

export interface MakeupResult {
  day: string
  cost: number
  points: number
  streak: number
}

export interface LedgerItem {
  _id: string
  delta: number
  balanceAfter: number
  source: string
  title?: string
  createdAt: number
  expireAt?: number | null
}

/** Where the next ledger page starts: entries older than (before, beforeId). */
export interface LedgerCursor {
  before: number
  beforeId: string
}

export interface LedgerPage {
  balance: number
  items: LedgerItem[]
  nextBefore: number | null
  nextBeforeId: string | null
}

export interface PointsLedgerPage extends LedgerPage {
  expiring: Expiring
}

export interface Tier {
  _id: string
  name: string
  level: number
  threshold: number
  keepThreshold: number
  benefits: string[]
}

export interface TiersResult {
  member: Member
  tiers: Tier[]
  rules: string[]
}

export interface MallItem {
  _id: string
  type: 'goods' | 'coupon'
  name: string
  pointsPrice: number
  stock: number
  /** 每人限兑，0 = 不限 */
  perMemberLimit: number
  image: string
  desc: string
}

export interface RedeemResult {
  redemptionId: string
  name: string
  points: number
  couponId: string | null
  balance?: number
  replayed?: boolean
}

export interface Redemption {
  _id: string
  itemId?: string
  name: string
  type: 'goods' | 'coupon'
  points: number
  status: 'to_pickup' | 'issued'
  createdAt: number
}

export interface SvPackage {
  _id: string
  name: string
  pay: number
  bonus: number
  credit: number
}

export interface TopupResult {
  outTradeNo: string
  payment: Record<string, unknown>
  pay: number
  credit: number
}

export interface MemberCode {
  code: string
  expiresAt: number
  refreshInSeconds: number
  /** PNG data URL */
  qr: string
}

export interface ProfilePatch {
  nickname?: string
  gender?: Gender
  birthday?: string
  city?: string
}

// ---- 调用 ----

function call<T>(action: string, input: object = {}): Promise<Envelope<T>> {
  return callCloud<T>('member', { action, ...input })
}

// 启动来源（场景值 + 页面参数），在首次成功拉取会员时上报，用于记录入会渠道
interface LaunchInfo {
  scene?: number
  query?: Record<string, string>
}

let pendingLaunch: LaunchInfo | null = null
let inflightMe: Promise<Envelope<MeResult>> | null = null

// 记录启动参数（app 启动时调用）
export function recordLaunch(options: { scene?: unknown; query?: unknown }): void {
  const launch: LaunchInfo = {}
  if (
    typeof options.scene === 'number' &&
    Number.isInteger(options.scene) &&
    options.scene >= 0 &&
    options.scene <= 99999
  ) {
    launch.scene = options.scene
  }
  if (typeof options.query === 'object' && options.query !== null) {
    const query: Record<string, string> = {}
    for (const [k, v] of Object.entries(options.query as Record<string, unknown>)) {
      if (typeof v === 'string' && v.length <= 128) query[k] = v
    }
    if (Object.keys(query).length > 0) launch.query = query
  }
  pendingLaunch = launch
}

// 获取当前用户的会员档案（首次访问即入会）；并发调用合并为一次请求
export function fetchMe(): Promise<Envelope<MeResult>> {
  if (inflightMe) return inflightMe
  const launch = pendingLaunch
  const req = call<MeResult>('me', launch ? { launch } : {}).then((res) => {
    if (res.ok) {
      pendingLaunch = null
      // 通过好友邀请入会：奖励在好友绑定手机号（或完成首单，按运营规则）后才发放
      const ref = res.data.referral
      if (ref?.rewarded) toast('受邀入会成功，奖励积分已到账')
      else if (ref?.ok && ref.pending)
        toast(
          ref.qualifyBy === 'first_order'
            ? '受邀入会成功，完成首单后获得奖励积分'
            : '受邀入会成功，绑定手机号后获得奖励积分',
        )
    }
    return res
  })
  inflightMe = req
  void req.finally(() => {
    if (inflightMe === req) inflightMe = null
  })
  return req
}

export const updateProfile = (patch: ProfilePatch) => call<{ updated: string[] }>('updateProfile', patch)
export const bindPhone = (code: string) =>
  call<{ memberId: string; merged: boolean; referralRewarded?: boolean }>('bindPhone', { code })
export const checkin = () => call<CheckinResult>('checkin')
export const fetchCalendar = (month?: string) => call<CalendarResult>('calendar', month ? { month } : {})
export const makeup = (day: string) => call<MakeupResult>('makeup', { day })
export const fetchPointsLedger = (cursor?: LedgerCursor, limit = 20) =>
  call<PointsLedgerPage>('pointsLedger', { ...cursor, limit })
export const fetchBalanceLedger = (cursor?: LedgerCursor, limit = 20) =>
  call<LedgerPage>('balanceLedger', { ...cursor, limit })
export const fetchTiers = () => call<TiersResult>('tiers')
export const fetchMallItems = () => call<{ items: MallItem[] }>('mallItems')
export const redeem = (itemId: string, requestId: string) => call<RedeemResult>('redeem', { itemId, requestId })
export const fetchMyRedemptions = () => call<{ items: Redemption[] }>('myRedemptions')
export const fetchSvPackages = () => call<{ packages: SvPackage[] }>('svPackages')
export const topup = (packageId: string) => call<TopupResult>('topup', { packageId })
export const fetchMemberCode = () => call<MemberCode>('memberCode')

// ---- 展示辅助 ----

// 升级进度：0–100；已是最高等级为 100
export function tierProgress(member: Pick<Member, 'growth' | 'growthToNext'>, currentThreshold = 0): number {
  if (member.growthToNext === null) return 100
  const span = member.growth + member.growthToNext - currentThreshold
  if (span <= 0) return 100
  return Math.max(0, Math.min(100, Math.round(((member.growth - currentThreshold) / span) * 100)))
}

// 升级提示文案
export function tierHint(member: Pick<Member, 'nextTierName' | 'growthToNext'>): string {
  if (member.nextTierName === null || member.growthToNext === null) return '已是最高等级'
  return `还差 ${member.growthToNext} 成长值升级到${member.nextTierName}`
}

// 流水标题由云端写入每条流水（member-tx、合并、种子数据都带 title），客户端不另备一份来源文案
export function ledgerTitle(item: Pick<LedgerItem, 'title' | 'source'>): string {
  return item.title || '其他'
}

// 头像是否可直接展示（种子数据里的相对路径在小程序包内并不存在）
export function isRemoteImage(src: string | undefined | null): src is string {
  return typeof src === 'string' && /^(https?:\/\/|cloud:\/\/|data:image\/|wxfile:\/\/)/.test(src)
}
