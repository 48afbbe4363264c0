// 页面配置
export default definePageConfig({ navigationBarTitleText: '积分明细', onReachBottomDistance: 80 })
