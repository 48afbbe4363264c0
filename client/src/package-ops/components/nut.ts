// 运营分包专用的 NutUI 组件（写法同 components/nut.ts：按组件引入 JS + 单组件样式），只进 package-ops
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css'

export { Switch } from '@nutui/nutui-react-taro'
