import { useEffect, useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { RFM_LAYERS, STAGES, tagText } from '@/utils/crm'
import { addDays, dayStart, shanghaiDay } from '@/utils/format'
import { useSegmentNames, type SegmentDef } from '../services/ops'

// 上海日期 YYYY-MM-DD → 当天最后一毫秒
const dayEnd = (day: string) => dayStart(addDays(day, 1)) - 1

// 常用系统标签（文案与标签展示共用 tagText）
const BASE_TAGS = ['multi-category', 'churn-risk', 'high-value', 'repurchase', 'birthday_month', 'cart_abandon'].map(
  (tag) => ({ tag, label: tagText(tag) }),
)

type ListKey = 'rfmLayers' | 'stages' | 'tierIds' | 'storeIds' | 'tagsAny'

// 选项值来自同一份声明（RFM_LAYERS、阶段、等级、门店），服务端仍按枚举校验
function toggle(def: SegmentDef, key: ListKey, value: string): SegmentDef {
  const lists: Partial<Record<ListKey, string[]>> = def
  const cur = lists[key] ?? []
  const next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value]
  const out: Partial<Record<ListKey, string[]>> = { ...def }
  if (next.length) out[key] = next
  else delete out[key]
  return out as SegmentDef
}

// 人群圈选条件：RFM 分层、生命周期、会员等级、门店、标签（任一）、最近下单日期、最少订单数
export default function SegmentBuilder({
  value,
  onChange,
}: {
  value: SegmentDef
  onChange: (def: SegmentDef) => void
}) {
  const names = useSegmentNames()
  const tags = [...names.categories.map((c) => ({ tag: `interest:${c._id}`, label: `偏好${c.name}` })), ...BASE_TAGS]
  const [minOrders, setMinOrders] = useState(value.minOrders !== undefined ? String(value.minOrders) : '')

  // 外部载入已保存人群时同步输入框
  useEffect(() => {
    setMinOrders((cur) =>
      value.minOrders === undefined
        ? cur === ''
          ? cur
          : ''
        : String(value.minOrders) === cur
          ? cur
          : String(value.minOrders),
    )
  }, [value.minOrders])

  const group = (title: string, key: ListKey, options: { value: string; label: string }[]) => (
    <View className="seg-group" data-group={key}>
      <Text className="op-label">{title}</Text>
      <View className="op-chips">
        {options.map((o) => (
          <View
            key={o.value}
            className={`op-chip seg-chip${(value[key] as string[] | undefined)?.includes(o.value) ? ' op-chip--on' : ''}`}
            data-group={key}
            data-value={o.value}
            onClick={() => onChange(toggle(value, key, o.value))}
          >
            {o.label}
          </View>
        ))}
      </View>
    </View>
  )

  const setRange = (which: 'from' | 'to', day: string | null) => {
    const out = { ...value }
    if (which === 'from') {
      if (day) out.lastOrderFrom = dayStart(day)
      else delete out.lastOrderFrom
    } else if (day) out.lastOrderTo = dayEnd(day)
    else delete out.lastOrderTo
    onChange(out)
  }

  const changeMinOrders = (text: string) => {
    const clean = text.replace(/\D/g, '').slice(0, 5)
    setMinOrders(clean)
    const out = { ...value }
    if (clean) out.minOrders = Number(clean)
    else delete out.minOrders
    onChange(out)
  }

  return (
    <View className="seg-builder">
      {group(
        'RFM 分层',
        'rfmLayers',
        RFM_LAYERS.map((l) => ({ value: l, label: l })),
      )}
      {group(
        '生命周期',
        'stages',
        STAGES.map((s) => ({ value: s.key, label: s.label })),
      )}
      {group(
        '会员等级',
        'tierIds',
        names.tiers.map((t) => ({ value: t._id, label: t.name })),
      )}
      {group(
        '所属门店',
        'storeIds',
        names.stores.map((s) => ({ value: s._id, label: s.name.replace(/^.*·/, '') })),
      )}
      {group(
        '标签（满足任一）',
        'tagsAny',
        tags.map((t) => ({ value: t.tag, label: t.label })),
      )}

      <Text className="op-label">最近下单</Text>
      <View className="seg-range">
        <Picker
          mode="date"
          value={value.lastOrderFrom ? shanghaiDay(value.lastOrderFrom) : ''}
          onChange={(e) => setRange('from', e.detail.value)}
        >
          <View className="op-input seg-range__pick" id="seg-last-from">
            {value.lastOrderFrom ? shanghaiDay(value.lastOrderFrom) : '开始日期'}
          </View>
        </Picker>
        <Text className="seg-range__to">至</Text>
        <Picker
          mode="date"
          value={value.lastOrderTo ? shanghaiDay(value.lastOrderTo) : ''}
          onChange={(e) => setRange('to', e.detail.value)}
        >
          <View className="op-input seg-range__pick" id="seg-last-to">
            {value.lastOrderTo ? shanghaiDay(value.lastOrderTo) : '结束日期'}
          </View>
        </Picker>
        {(value.lastOrderFrom || value.lastOrderTo) && (
          <Text
            className="seg-range__clear"
            onClick={() => {
              const out = { ...value }
              delete out.lastOrderFrom
              delete out.lastOrderTo
              onChange(out)
            }}
          >
            清除
          </Text>
        )}
      </View>

      <Text className="op-label">最少订单数</Text>
      <Input
        id="seg-min-orders"
        className="op-input seg-min"
        type="number"
        value={minOrders}
        placeholder="不限"
        onInput={(e) => changeMinOrders(e.detail.value)}
      />
    </View>
  )
}
