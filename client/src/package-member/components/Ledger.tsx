import { useCallback, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { ledgerTitle, type LedgerCursor, type LedgerItem, type LedgerPage } from '@/services/member'
import type { Envelope } from '@/services/cloud'
import { shanghaiDateTime } from '@/utils/format'
import './Ledger.scss'

// 分页流水：首屏 reload()，触底 loadMore()（游标 = 上一页最后一条的 createdAt + _id）
export function useLedger<P extends LedgerPage>(fetchPage: (cursor?: LedgerCursor) => Promise<Envelope<P>>) {
  const [items, setItems] = useState<LedgerItem[]>([])
  const [head, setHead] = useState<P | null>(null)
  const [next, setNext] = useState<LedgerCursor | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const busy = useRef(false)
  const generation = useRef(0)

  const reload = useCallback(async () => {
    const gen = ++generation.current
    busy.current = true
    setLoading(true)
    const res = await fetchPage()
    if (gen !== generation.current) return
    busy.current = false
    setLoading(false)
    if (!res.ok) {
      setError(res.error)
      return
    }
    setError(null)
    setHead(res.data)
    setItems(res.data.items)
    setNext(cursorOf(res.data))
  }, [fetchPage])

  const loadMore = useCallback(async () => {
    if (busy.current || next === null) return
    const gen = generation.current
    busy.current = true
    setLoading(true)
    const res = await fetchPage(next)
    if (gen !== generation.current) return
    busy.current = false
    setLoading(false)
    if (!res.ok) {
      setError(res.error)
      return
    }
    // 同一毫秒的流水可能跨页，按 _id 去重
    setItems((prev) => {
      const seen = new Set(prev.map((it) => it._id))
      return [...prev, ...res.data.items.filter((it) => !seen.has(it._id))]
    })
    setNext(cursorOf(res.data))
  }, [fetchPage, next])

  return { items, head, hasMore: next !== null, loading, error, reload, loadMore }
}

function cursorOf(p: LedgerPage): LedgerCursor | null {
  return p.nextBefore !== null && p.nextBeforeId !== null ? { before: p.nextBefore, beforeId: p.nextBeforeId } : null
}

// 流水列表：标题、时间、增减（增加红色、减少深灰）、变动后余额
export function LedgerList(props: {
  items: LedgerItem[]
  loading: boolean
  hasMore: boolean
  formatDelta: (delta: number) => string
  formatBalance: (balance: number) => string
  emptyText: string
  onMore?: () => void
}) {
  const { items, loading, hasMore, formatDelta, formatBalance, emptyText, onMore } = props
  return (
    <View className="ledger">
      {items.map((it) => (
        <View key={it._id} className="ledger__row" data-ledger-id={it._id}>
          <View className="ledger__main">
            <Text className="ledger__title">{ledgerTitle(it)}</Text>
            <Text className="ledger__time">{shanghaiDateTime(it.createdAt)}</Text>
          </View>
          <View className="ledger__side">
            <Text className={`ledger__delta ${it.delta >= 0 ? 'ledger__delta--plus' : 'ledger__delta--minus'}`}>
              {formatDelta(it.delta)}
            </Text>
            <Text className="ledger__after">余额 {formatBalance(it.balanceAfter)}</Text>
          </View>
        </View>
      ))}
      <View className="ledger__footer" onClick={hasMore && !loading ? onMore : undefined}>
        {loading ? '加载中…' : items.length === 0 ? emptyText : hasMore ? '上拉加载更多' : '— 没有更多了 —'}
      </View>
    </View>
  )
}
