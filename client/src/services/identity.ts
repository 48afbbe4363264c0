import Taro from '@tarojs/taro'

// 本地开发身份在 Taro 存储中的键名
export const DEV_OPENID_KEY = 'dev_openid'

// 演示身份（与本地云种子数据一致）
export interface DevIdentity {
  openid: string
  label: string
  role: '消费者' | '导购' | '品牌运营'
  desc: string
}

// 开发登录页可选的演示身份
export const DEV_IDENTITIES: DevIdentity[] = [
  { openid: 'user_1', label: '消费者 1', role: '消费者', desc: '普通会员' },
  { openid: 'user_2', label: '消费者 2', role: '消费者', desc: '普通会员' },
  { openid: 'user_3', label: '消费者 3', role: '消费者', desc: '普通会员' },
  { openid: 'guide_1', label: '导购 1', role: '导购', desc: '门店1导购' },
  { openid: 'guide_3', label: '导购 3', role: '导购', desc: '门店2导购' },
  { openid: 'op_admin', label: '运营管理员', role: '品牌运营', desc: '品牌运营' },
]

// 是否使用开发身份（仅 h5：weapp 的身份来自微信）
export const usesDevIdentity = process.env.TARO_ENV === 'h5'

// 读取当前开发身份，未选择时为 null
export function getDevOpenid(): string | null {
  const value: unknown = Taro.getStorageSync(DEV_OPENID_KEY)
  return typeof value === 'string' && value !== '' ? value : null
}

// 保存开发身份
export function setDevOpenid(openid: string): void {
  Taro.setStorageSync(DEV_OPENID_KEY, openid)
}

// 查找演示身份的说明
export function findDevIdentity(openid: string | null): DevIdentity | undefined {
  return DEV_IDENTITIES.find((it) => it.openid === openid)
}
