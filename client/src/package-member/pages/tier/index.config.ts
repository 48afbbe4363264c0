// 页面配置
export default definePageConfig({ navigationBarTitleText: '会员等级' })
