// 页面配置
export default definePageConfig({ navigationBarTitleText: '商品与订单', enablePullDownRefresh: true })
