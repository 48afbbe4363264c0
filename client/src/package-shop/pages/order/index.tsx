import ComingSoon from '@/components/ComingSoon'

// 确认订单（骨架页）
export default function OrderPage() {
  return <ComingSoon title="确认订单" />
}
