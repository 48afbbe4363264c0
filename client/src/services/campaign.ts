import { callCloud, type Envelope } from './cloud'

// ---- campaign 云函数（消费者侧）：订阅消息模板、营销消息开关、邀请有礼 ----

export type TemplateKey = 'campaign' | 'orderPaid' | 'checkin' | 'couponExpiring'
export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter'

export interface ReferralRules {
  inviterPointsOnJoin: number
  inviteePointsOnJoin: number
  inviterPointsOnFirstOrder: number
  dailyCapPerInviter: number
  /** 好友何时算作真实入会（发放入会奖励）：绑定手机号，或完成首笔订单 */
  qualifyBy?: 'phone' | 'first_order'
}

// 入会奖励的发放条件（中文）
export function qualifyText(rules: Pick<ReferralRules, 'qualifyBy'>): string {
  return rules.qualifyBy === 'first_order' ? '完成首笔订单' : '绑定手机号'
}

export interface InviteCard {
  scene: string
  path: string
  /** PNG data URL */
  qr: string
  rules: ReferralRules
  nickname: string
}

export interface Invite {
  nickname: string
  joinedAt: number
  status: string
  firstOrder: boolean
}

export interface Leader {
  rank: number
  nickname: string
  invites: number
  firstOrders: number
}

function call<T>(action: string, input: object = {}): Promise<Envelope<T>> {
  return callCloud<T>('campaign', { action, ...input })
}

export const fetchTemplates = () => call<{ templates: Partial<Record<TemplateKey, string>> }>('templates')
export const reportSubscribed = (results: Record<string, SubscribeResult>) =>
  call<{ quota: Record<string, number> }>('subscribed', { results })
export const setMarketing = (optOut: boolean) => call<{ optOut: boolean }>('setMarketing', { optOut })
export const fetchInviteCard = () => call<InviteCard>('inviteCard')
export const fetchMyInvites = () => call<{ invites: Invite[]; total: number }>('myInvites')
export const fetchLeaderboard = () => call<{ leaders: Leader[] }>('leaderboard')

// 邀请状态的中文
export function inviteStatusText(status: string): string {
  return (
    (
      {
        pending: '已入会（待激活，激活后发放奖励）',
        qualifying: '已激活，奖励发放中',
        joined: '已入会',
        capped: '已入会（今日奖励已达上限）',
        reversed: '奖励已扣回',
        void: '已是老会员，不计奖励',
      } as Record<string, string>
    )[status] ?? '已入会'
  )
}
