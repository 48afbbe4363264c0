import ComingSoon from '@/components/ComingSoon'

// 限时秒杀（骨架页）
export default function FlashSalePage() {
  return <ComingSoon title="限时秒杀" />
}
