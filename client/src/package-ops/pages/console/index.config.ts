// 页面配置
export default definePageConfig({ navigationBarTitleText: '运营控制台' })
