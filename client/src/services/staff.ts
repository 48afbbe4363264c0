import { callCloud, type Out } from './cloud'
import { getDevOpenid, usesDevIdentity } from './identity'

// 员工身份（导购 / 品牌运营）：决定“我的”页显示哪个工作台入口，以及行为埋点是否跳过。
// h5 由演示身份判断（guide_* / op_*）；weapp 没有演示身份，向服务端探测（guide.profile 成功即导购，
// ops.listSegments 成功即运营），结果在本次运行内缓存。
export type StaffRole = 'guide' | 'operator'

export interface StaffInfo {
  role: StaffRole | null
  name?: string
  storeName?: string
}

// 演示身份的员工角色（仅 h5）
export function devStaffRole(openid: string | null): StaffRole | null {
  if (!openid) return null
  if (/^guide_/.test(openid)) return 'guide'
  if (/^op_/.test(openid)) return 'operator'
  return null
}

let detected: { key: string; info: StaffInfo } | null = null
let inflight: Promise<StaffInfo> | null = null

// 当前身份是否为员工（已知为员工才返回 true；weapp 未探测前按消费者处理）
export function isStaffNow(): boolean {
  if (usesDevIdentity) return devStaffRole(getDevOpenid()) !== null
  return Boolean(detected?.info.role)
}

type GuideProfile = Out<'guide', 'profile'>

// 探测员工身份（我的页每次显示时调用；同一身份只探测一次）
export function detectStaff(): Promise<StaffInfo> {
  const key = usesDevIdentity ? (getDevOpenid() ?? '') : 'wx'
  if (detected && detected.key === key) return Promise.resolve(detected.info)
  if (inflight) return inflight
  let transient = false
  const run = async (): Promise<StaffInfo> => {
    const devRole = usesDevIdentity ? devStaffRole(key) : null
    if (usesDevIdentity && !devRole) return { role: null }
    if (!usesDevIdentity || devRole === 'guide') {
      const res = await callCloud<GuideProfile>('guide', { action: 'profile' })
      if (res.ok) return { role: 'guide', name: res.data.name, storeName: res.data.storeName }
      if (devRole === 'guide') return { role: 'guide' }
      if (res.error.code === 'NETWORK_ERROR') transient = true
    }
    if (devRole === 'operator') return { role: 'operator' }
    const ops = await callCloud<unknown>('ops', { action: 'listSegments' })
    if (!ops.ok && ops.error.code === 'NETWORK_ERROR') transient = true
    return ops.ok ? { role: 'operator' } : { role: null }
  }
  const req = run()
    .then((info) => {
      // 网络异常时不缓存“非员工”的结论，下次显示再探测
      if (!transient || info.role) detected = { key, info }
      return info
    })
    .finally(() => {
      inflight = null
    })
  inflight = req
  return req
}
