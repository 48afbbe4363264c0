import ComingSoon from '@/components/ComingSoon'

// 商品详情（骨架页）
export default function ProductPage() {
  return <ComingSoon title="商品详情" />
}
