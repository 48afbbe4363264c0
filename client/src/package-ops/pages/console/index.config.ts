// 页面配置
export default definePageConfig({ navigationBarTitleText: '数据看板', enablePullDownRefresh: true })
