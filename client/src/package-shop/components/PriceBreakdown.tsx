import { Text, View } from '@tarojs/components'
import type { OrderMoney } from '@cloud/domain/orders'
import { yuan } from '@/utils/format'

// 价格明细：商品金额 → 会员优惠 → 等级折扣 → 活动优惠 → 优惠券 → 积分抵扣 → 储值支付 → 实付（均以服务端计算为准）
export default function PriceBreakdown({ price, payAmountId }: { price: OrderMoney['price']; payAmountId?: string }) {
  const off = (fen: number) => (fen > 0 ? `-${yuan(fen)}` : yuan(0))
  const tier = price.tierDiscount ?? 0
  const rows: { key: string; label: string; value: string; active: boolean }[] = [
    { key: 'list', label: '商品金额', value: yuan(price.listTotal), active: false },
    { key: 'member', label: '会员优惠', value: off(price.memberDiscount), active: price.memberDiscount > 0 },
    { key: 'tier', label: '等级折扣', value: off(tier), active: tier > 0 },
    { key: 'activity', label: '活动优惠', value: off(price.activityDiscount), active: price.activityDiscount > 0 },
    { key: 'coupon', label: '优惠券', value: off(price.couponDiscount), active: price.couponDiscount > 0 },
    {
      key: 'points',
      label: price.pointsUsed > 0 ? `积分抵扣（${price.pointsUsed} 积分）` : '积分抵扣',
      value: off(price.pointsDeduction),
      active: price.pointsDeduction > 0,
    },
    { key: 'balance', label: '储值支付', value: off(price.balanceUsed), active: price.balanceUsed > 0 },
  ]
  return (
    <View className="sp-card sp-breakdown" id="price-breakdown">
      {rows.map((r) => (
        <View key={r.key} className="sp-breakdown__row" data-key={r.key}>
          <Text className="sp-breakdown__label">{r.label}</Text>
          <Text className={`sp-breakdown__value${r.active ? ' sp-breakdown__value--off' : ''}`}>{r.value}</Text>
        </View>
      ))}
      <View className="sp-breakdown__row sp-breakdown__row--total">
        <Text className="sp-breakdown__label">实付</Text>
        <Text className="sp-breakdown__pay" id={payAmountId}>
          {yuan(price.payAmount)}
        </Text>
      </View>
    </View>
  )
}
