// 页面配置
export default definePageConfig({
  navigationBarTitleText: '会员码',
  navigationBarBackgroundColor: '#fa2c19',
  navigationBarTextStyle: 'white',
  backgroundColor: '#fa2c19',
})
