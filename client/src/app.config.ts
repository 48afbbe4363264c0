// 全局配置：三个 tabBar 页在主包，业务页按角色分包（会员功能页在 package-member）
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/member/index', 'pages/mine/index', 'pages/dev-login/index'],
  subPackages: [
    {
      root: 'package-shop',
      pages: [
        'pages/product/index',
        'pages/checkout/index',
        'pages/order/index',
        'pages/order-detail/index',
        'pages/flash/index',
        'pages/group/index',
        'pages/group-detail/index',
        'pages/coupons/index',
      ],
    },
    {
      root: 'package-guide',
      pages: ['pages/scan/index', 'pages/customers/index', 'pages/customer/index', 'pages/my-code/index'],
    },
    {
      root: 'package-ops',
      pages: [
        'pages/console/index',
        'pages/segments/index',
        'pages/campaigns/index',
        'pages/campaign-edit/index',
        'pages/campaign/index',
        'pages/manage/index',
      ],
    },
    {
      root: 'package-member',
      pages: [
        'pages/checkin/index',
        'pages/points/index',
        'pages/mall/index',
        'pages/tier/index',
        'pages/stored-value/index',
        'pages/profile/index',
        'pages/member-code/index',
        'pages/invite/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '私域会员',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
  tabBar: {
    color: '#8a8a8a',
    selectedColor: '#fa2c19',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/member/index',
        text: '会员',
        iconPath: 'assets/tabbar/member.png',
        selectedIconPath: 'assets/tabbar/member-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tabbar/mine.png',
        selectedIconPath: 'assets/tabbar/mine-active.png',
      },
    ],
  },
})
