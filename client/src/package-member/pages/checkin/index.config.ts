// 页面配置
export default definePageConfig({ navigationBarTitleText: '每日签到' })
