// 页面配置
export default definePageConfig({ navigationBarTitleText: '优惠券' })
