// 页面配置
export default definePageConfig({ navigationBarTitleText: '个人资料' })
