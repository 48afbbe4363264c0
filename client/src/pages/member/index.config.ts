// 页面配置
export default definePageConfig({
  navigationBarTitleText: '会员中心',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
