// 页面配置
export default definePageConfig({ navigationBarTitleText: '顾客档案' })
