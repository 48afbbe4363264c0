// NutUI 按组件引入：JS 由 sideEffects 摇树，样式只引所用组件（避免整包 style.css 约 230 KB）
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css'

// 本项目使用的 NutUI 组件
export { Button, Cell, CellGroup, Empty, Tag } from '@nutui/nutui-react-taro'
