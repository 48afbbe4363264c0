// 页面配置
export default definePageConfig({ navigationBarTitleText: '订单详情' })
