// 页面配置
export default definePageConfig({ navigationBarTitleText: '选择演示身份' })
