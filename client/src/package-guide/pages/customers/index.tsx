import ComingSoon from '@/components/ComingSoon'

// 我的顾客（骨架页）
export default function GuideCustomersPage() {
  return <ComingSoon title="我的顾客" />
}
