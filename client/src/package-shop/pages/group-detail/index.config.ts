// 页面配置（开启转发：邀请好友参团）
export default definePageConfig({ navigationBarTitleText: '拼团详情', enableShareAppMessage: true })
