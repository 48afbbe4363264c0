// 页面配置
export default definePageConfig({ navigationBarTitleText: '人群圈选' })
