// 页面配置
export default definePageConfig({ navigationBarTitleText: '积分商城' })
