// 商城分包专用的 NutUI 组件：与 components/nut.ts 同一写法（按组件引入 JS + 单组件样式），
// 放在分包内，样式与代码只进 package-shop，不增加主包体积。通用组件（Button/Cell/Tag…）仍从 components/nut 引入。
import '@nutui/nutui-react-taro/dist/es/packages/inputnumber/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/popup/style/css'

export { InputNumber, Popup, Switch } from '@nutui/nutui-react-taro'
