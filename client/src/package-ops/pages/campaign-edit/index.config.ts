// 页面配置
export default definePageConfig({ navigationBarTitleText: '新建营销活动' })
