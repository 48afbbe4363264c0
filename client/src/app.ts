import { type PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import { fetchMe, recordLaunch } from './services/member'
import { getDevOpenid, usesDevIdentity } from './services/identity'
import { isStaffNow } from './services/staff'
import { preloadTemplates } from './services/subscribe'
import './app.scss'

// 应用根组件：weapp 下初始化云开发（h5 的 Taro.cloud 只是桩，不初始化）；
// 启动即以场景值与页面参数调用 member.me，新用户入会时记录来源（门店/导购/邀请/广告…）
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      Taro.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true })
    }
    const launch = Taro.getLaunchOptionsSync()
    recordLaunch({ scene: launch.scene, query: launch.query })
    // h5 未选择演示身份时先不调用（首页会转去开发登录）
    if (!usesDevIdentity || getDevOpenid()) {
      void fetchMe()
      // 订阅消息模板 id 预取：支付/签到成功后请求订阅时不必再等网络（weapp 要求在点击链路里调用）
      if (!isStaffNow()) void preloadTemplates()
    }
  })
  return children
}

export default App
