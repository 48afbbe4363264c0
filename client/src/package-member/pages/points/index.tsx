import { useCallback } from 'react'
import { useDidShow, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { LoadError } from '@/utils/cloudData'
import { fetchPointsLedger, type LedgerCursor } from '@/services/member'
import { shanghaiDay, signed } from '@/utils/format'
import { go } from '@/utils/ui'
import { LedgerList, useLedger } from '../../components/Ledger'
import './index.scss'

// 积分明细：当前积分、年底过期提醒、流水（触底按 nextBefore 翻页）
export default function PointsPage() {
  const fetchPage = useCallback((cursor?: LedgerCursor) => fetchPointsLedger(cursor, 20), [])
  const { items, head, hasMore, loading, error, reload, loadMore } = useLedger(fetchPage)

  useDidShow(() => {
    void reload()
  })
  useReachBottom(() => {
    void loadMore()
  })

  if (error && !head) return <LoadError idPrefix="points" error={error} onRetry={reload} />

  return (
    <View className="page points-page">
      <View className="pt-head">
        <Text className="pt-head__label">当前积分</Text>
        <Text className="pt-head__value" id="points-balance">
          {head ? String(head.balance) : '--'}
        </Text>
        {head && head.expiring.amount > 0 && (
          <Text className="pt-head__expiring" id="points-expiring">
            {head.expiring.amount} 积分将于 {shanghaiDay(head.expiring.at)} 过期
          </Text>
        )}
        <View className="pt-head__links">
          <Text className="pt-head__link" onClick={() => go('/package-member/pages/mall/index')}>
            去兑换 ›
          </Text>
          <Text className="pt-head__link" onClick={() => go('/package-member/pages/checkin/index')}>
            签到赚积分 ›
          </Text>
        </View>
      </View>
      <Text className="pt-section">积分记录</Text>
      <LedgerList
        items={items}
        loading={loading}
        hasMore={hasMore}
        formatDelta={signed}
        formatBalance={String}
        emptyText="暂无积分记录"
        onMore={() => void loadMore()}
      />
      <Text className="pt-note">积分有效期：每年获得的积分于次年 12 月 31 日 24 点过期</Text>
    </View>
  )
}
