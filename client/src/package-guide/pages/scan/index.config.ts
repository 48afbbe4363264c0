// 页面配置
export default definePageConfig({ navigationBarTitleText: '扫码识客' })
