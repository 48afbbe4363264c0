import ComingSoon from '@/components/ComingSoon'

// 扫码拉新（骨架页）
export default function GuideScanPage() {
  return <ComingSoon title="扫码拉新" />
}
