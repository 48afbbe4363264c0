import ComingSoon from '@/components/ComingSoon'

// 运营控制台（骨架页）
export default function OpsConsolePage() {
  return <ComingSoon title="运营控制台" />
}
