// 页面配置
export default definePageConfig({ navigationBarTitleText: '限时秒杀' })
