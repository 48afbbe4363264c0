// 页面配置
export default definePageConfig({
  navigationBarTitleText: '我的导购码',
  navigationBarBackgroundColor: '#1f9e6e',
  navigationBarTextStyle: 'white',
  backgroundColor: '#1f9e6e',
})
