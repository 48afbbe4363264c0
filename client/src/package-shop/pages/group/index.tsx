import ComingSoon from '@/components/ComingSoon'

// 拼团（骨架页）
export default function GroupBuyPage() {
  return <ComingSoon title="拼团" />
}
