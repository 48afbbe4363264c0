// 页面配置
export default definePageConfig({ navigationBarTitleText: '营销活动', enablePullDownRefresh: true })
