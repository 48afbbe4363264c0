// 页面配置
export default definePageConfig({ navigationBarTitleText: '活动详情' })
