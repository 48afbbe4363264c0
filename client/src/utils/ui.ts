import Taro from '@tarojs/taro'

// 轻提示：失败信息统一用无图标 toast（微信会截断超过 7 个汉字的带图标标题）
export function toast(title: string, icon: 'success' | 'none' = 'none'): void {
  void Taro.showToast({ title, icon, duration: 2000 })
}

// 确认弹窗：返回用户是否点了确认
export async function confirm(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  try {
    const res = await Taro.showModal({ title, content, confirmText, confirmColor: '#fa2c19', cancelText: '取消' })
    return res.confirm
  } catch {
    return false
  }
}

// 只有确认按钮的结果弹窗
export async function alertModal(title: string, content: string): Promise<void> {
  try {
    await Taro.showModal({ title, content, showCancel: false, confirmText: '知道了', confirmColor: '#fa2c19' })
  } catch {
    // 忽略
  }
}

// 页面跳转（会员分包）
export function go(url: string): void {
  void Taro.navigateTo({ url })
}

// 一次点击一个幂等请求号（8–64 位 [A-Za-z0-9_-]）
export function newRequestId(): string {
  const rand = Array.from({ length: 3 }, () => Math.random().toString(36).slice(2, 8)).join('')
  return `r${Date.now().toString(36)}${rand}`.slice(0, 40)
}
