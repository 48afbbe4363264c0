import { toast } from '@/utils/ui'
import { caller, type ActionName, type Envelope, type In, type Out } from './cloud'

// ---- 类型：member 云函数各操作的返回，由云端声明推导（functions/api.ts），客户端不另写一份 ----

type MemberOut<A extends ActionName<'member'>> = Out<'member', A>

export type Gender = Member['gender']
export type MeResult = MemberOut<'me'>
// 会员档案（me / tiers / checkin 返回的 member）
export type Member = MeResult['member']
// 今年底将过期的积分
export type Expiring = Member['expiring']
export type CheckinResult = MemberOut<'checkin'>
export type CalendarResult = MemberOut<'calendar'>
export type CheckinRules = CalendarResult['rules']
export type MakeupResult = MemberOut<'makeup'>
export type PointsLedgerPage = MemberOut<'pointsLedger'>
export type LedgerPage = MemberOut<'balanceLedger'>
export type LedgerItem = LedgerPage['items'][number]
/** Where the next ledger page starts: entries older than (before, beforeId). */
export type LedgerCursor = { before: number; beforeId: string }
export type TiersResult = MemberOut<'tiers'>
export type Tier = TiersResult['tiers'][number]
export type MallItem = MemberOut<'mallItems'>['items'][number]
export type RedeemResult = MemberOut<'redeem'>
export type Redemption = MemberOut<'myRedemptions'>['items'][number]
export type SvPackage = MemberOut<'svPackages'>['packages'][number]
export type TopupResult = MemberOut<'topup'>
export type MemberCode = MemberOut<'memberCode'>
export type ProfilePatch = In<'member', 'updateProfile'>

// ---- 调用 ----

const call = caller('member')

// 启动来源（场景值 + 页面参数），在首次成功拉取会员时上报，用于记录入会渠道
type LaunchInfo = NonNullable<In<'member', 'me'>['launch']>

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
  const req = call('me', launch ? { launch } : {}).then((res) => {
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

export const updateProfile = (patch: ProfilePatch) => call('updateProfile', patch)
export const bindPhone = (code: string) => call('bindPhone', { code })
export const checkin = () => call('checkin')
export const fetchCalendar = (month?: string) => call('calendar', month ? { month } : {})
export const makeup = (day: string) => call('makeup', { day })
export const fetchPointsLedger = (cursor?: LedgerCursor, limit = 20) => call('pointsLedger', { ...cursor, limit })
export const fetchBalanceLedger = (cursor?: LedgerCursor, limit = 20) => call('balanceLedger', { ...cursor, limit })
export const fetchTiers = () => call('tiers')
export const fetchMallItems = () => call('mallItems')
export const redeem = (itemId: string, requestId: string) => call('redeem', { itemId, requestId })
export const fetchMyRedemptions = () => call('myRedemptions')
export const fetchSvPackages = () => call('svPackages')
export const topup = (packageId: string) => call('topup', { packageId })
export const fetchMemberCode = () => call('memberCode')

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
