// 会员经营的展示文案（导购与运营分包共用）：RFM 八层、生命周期阶段、标签、订单状态、来源渠道
export const RFM_LAYERS = [
  '重要价值客户',
  '重要发展客户',
  '重要保持客户',
  '重要挽留客户',
  '一般价值客户',
  '一般发展客户',
  '一般保持客户',
  '一般挽留客户',
] as const

export type Stage = 'new' | 'first_order' | 'repurchase' | 'loyal' | 'at_risk' | 'lost'

export const STAGES: { key: Stage; label: string }[] = [
  { key: 'new', label: '新客（未购）' },
  { key: 'first_order', label: '首单客' },
  { key: 'repurchase', label: '复购客' },
  { key: 'loyal', label: '忠诚客' },
  { key: 'at_risk', label: '流失预警' },
  { key: 'lost', label: '已流失' },
]

export function stageText(stage: string | null | undefined): string {
  return STAGES.find((s) => s.key === stage)?.label ?? '--'
}

// 订单状态
export const ORDER_STATUS: Record<string, string> = {
  created: '待付款',
  grouping: '拼团中',
  paid: '待发货',
  shipped: '待收货',
  ready: '待自提',
  completed: '已完成',
  cancelled: '已取消',
  refunding: '退款中',
  refunded: '已退款',
}

// 来源渠道
export const SOURCE_TEXT: Record<string, string> = {
  store: '门店',
  guide: '导购',
  referral: '好友推荐',
  ad: '广告',
  official_account: '公众号',
  share: '分享',
  search: '搜索',
  direct: '直接访问',
}

const TAG_TEXT: Record<string, string> = {
  birthday_month: '本月生日',
  cart_abandon: '加购未买',
  sharer: '爱分享',
  buyer: '已购',
  repurchase: '复购',
  'multi-category': '多品类',
  'high-value': '高消费',
  'churn-risk': '流失风险',
}

// 标签 → 中文（服务端给了 label 时以服务端为准；这里用于只返回标签码的接口）
export function tagText(tag: string, categoryNames: Record<string, string> = {}): string {
  const i = tag.indexOf(':')
  const code = i < 0 ? tag : tag.slice(0, i)
  const arg = i < 0 ? '' : tag.slice(i + 1)
  const cat = categoryNames[arg] ?? arg
  switch (code) {
    case 'interest':
      return `偏好：${cat}`
    case 'bought':
      return `买过：${cat}`
    case 'likely':
      return `可能想买：${cat}`
    case 'stage':
      return stageText(arg)
    case 'manual':
      return arg
    case 'source':
      return `来源：${SOURCE_TEXT[arg] ?? arg}`
    case 'gender':
      return arg === 'male' ? '男' : '女'
    case 'city':
      return arg
    default:
      return TAG_TEXT[tag] ?? tag
  }
}
