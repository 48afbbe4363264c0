// 会员经营的展示文案（导购与运营分包共用）：RFM 八层、生命周期阶段、标签、订单状态、来源渠道。
// 文案只在云函数的领域模块里声明一次，这里按客户端的用法导出。
import { STAGE_TEXT, type Stage } from '@cloud/domain/lifecycle'
import { ORDER_STATUS_TEXT } from '@cloud/domain/orders'
import { SOURCE_TEXT, tagLabel } from '@cloud/domain/tags'

export { RFM_LAYERS } from '@cloud/domain/rfm'
export { SOURCE_TEXT, type Stage }

export const STAGES: { key: Stage; label: string }[] = (Object.keys(STAGE_TEXT) as Stage[]).map((key) => ({
  key,
  label: STAGE_TEXT[key],
}))

export function stageText(stage: string | null | undefined): string {
  return STAGES.find((s) => s.key === stage)?.label ?? '--'
}

// 订单状态
export const ORDER_STATUS: Record<string, string> = ORDER_STATUS_TEXT

// 标签 → 中文（服务端给了 label 时以服务端为准；这里用于只返回标签码的接口）
export function tagText(tag: string, categoryNames: Record<string, string> = {}): string {
  return tagLabel(tag, { categoryNames })
}
