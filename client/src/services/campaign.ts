import { caller, type Out } from './cloud'

// ---- campaign 云函数（消费者侧）：订阅消息模板、营销消息开关、邀请有礼 ----

export type TemplateKey = 'campaign' | 'orderPaid' | 'checkin' | 'couponExpiring'
export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter'

// 入会奖励的发放条件（中文）
export function qualifyText(rules: Pick<ReferralRules, 'qualifyBy'>): string {
  return rules.qualifyBy === 'first_order' ? '完成首笔订单' : '绑定手机号'
}

export type InviteCard = Out<'campaign', 'inviteCard'>
export type ReferralRules = InviteCard['rules']

export type Invite = Out<'campaign', 'myInvites'>['invites'][number]

export type Leader = Out<'campaign', 'leaderboard'>['leaders'][number]

const call = caller('campaign')

export const fetchTemplates = () => call('templates')
export const reportSubscribed = (results: Record<string, SubscribeResult>) => call('subscribed', { results })
export const setMarketing = (optOut: boolean) => call('setMarketing', { optOut })
export const fetchInviteCard = () => call('inviteCard')
export const fetchMyInvites = () => call('myInvites')
export const fetchLeaderboard = () => call('leaderboard')

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
