import { callCloud, type Envelope } from './cloud'

// 会员档案（member 云函数 me 动作的返回）
export interface Member {
  _id: string
  openid: string
  nickname: string
  points: number
  tierName: string
  growth: number
}

// 获取当前用户的会员档案
export function fetchMe(): Promise<Envelope<{ member: Member }>> {
  return callCloud<{ member: Member }>('member', { action: 'me' })
}
