// 页面配置
export default definePageConfig({ navigationBarTitleText: '商品详情' })
