import { Text, View } from '@tarojs/components'

export interface BarItem {
  key: string
  label: string
  value: number
  text?: string
  color?: string
}

// 横向条形图：宽度按最大值的百分比，纯 View 绘制（不引图表库）
export default function Bars({ items, color = '#fa2c19' }: { items: BarItem[]; color?: string }) {
  const max = Math.max(1, ...items.map((i) => i.value))
  return (
    <View className="op-bars">
      {items.map((it) => (
        <View key={it.key} className="op-bar" data-key={it.key}>
          <Text className="op-bar__label">{it.label}</Text>
          <View className="op-bar__track">
            <View
              className="op-bar__fill"
              style={{ width: `${(Math.max(0, it.value) / max) * 100}%`, background: it.color ?? color }}
            />
          </View>
          <Text className="op-bar__value">{it.text ?? String(it.value)}</Text>
        </View>
      ))}
    </View>
  )
}
