// 页面配置
export default definePageConfig({ navigationBarTitleText: '确认订单' })
