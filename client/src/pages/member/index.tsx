import ComingSoon from '@/components/ComingSoon'

// 会员中心（骨架页）
export default function MemberPage() {
  return <ComingSoon title="会员中心" />
}
