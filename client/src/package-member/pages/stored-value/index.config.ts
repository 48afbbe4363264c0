// 页面配置
export default definePageConfig({ navigationBarTitleText: '会员储值', onReachBottomDistance: 80 })
