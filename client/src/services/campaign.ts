import { REFERRAL_STATUS_TEXT, type ReferralStatus } from '@cloud/domain/referrals'
import { caller, type In, type Out } from './cloud'

// ---- campaign 云函数（消费者侧）：订阅消息模板、营销消息开关、邀请有礼 ----

// 订阅消息模板与用户的选择：云端 templates 的返回与 subscribed 的入参
export type TemplateKey = keyof Out<'campaign', 'templates'>['templates']
export type SubscribeResult = In<'campaign', 'subscribed'>['results'][string]

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

// 邀请状态的中文（只在领域模块声明一次）
export function inviteStatusText(status: ReferralStatus): string {
  return REFERRAL_STATUS_TEXT[status]
}
