import { View } from '@tarojs/components'
import { Empty } from './nut'
import './ComingSoon.scss'

// 骨架页占位：标题 + “即将上线”（本地图形，不依赖 NutUI 的远程默认图）
export default function ComingSoon({ title }: { title: string }) {
  return (
    <View className="page">
      <Empty
        imageSize={100}
        image={<View className="coming-soon__badge">敬请期待</View>}
        title={title}
        description="即将上线"
      />
    </View>
  )
}
