import { useCallback, useRef, useState } from 'react'
import { useDidShow, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError } from '@/utils/cloudData'
import {
  fetchBalanceLedger,
  fetchMe,
  fetchSvPackages,
  topup,
  type LedgerCursor,
  type SvPackage,
} from '@/services/member'
import { payFor, pollUntil } from '@/services/pay'
import { signedYuan, yuan, yuanShort } from '@/utils/format'
import { toast } from '@/utils/ui'
import { LedgerList, useLedger } from '../../components/Ledger'
import './index.scss'

// 会员储值：余额、充值套餐（可选卡片）、立即充值（支付 → 等回调入账）、储值流水
export default function StoredValuePage() {
  const [packages, setPackages] = useState<SvPackage[] | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [balance, setBalance] = useState<number | null>(null)
  const [paying, setPaying] = useState(false)
  const [result, setResult] = useState('')
  const payingRef = useRef(false)

  const fetchPage = useCallback((cursor?: LedgerCursor) => fetchBalanceLedger(cursor, 20), [])
  const ledger = useLedger(fetchPage)
  const reloadLedger = ledger.reload

  const load = useCallback(async () => {
    const [pk] = await Promise.all([fetchSvPackages(), reloadLedger()])
    setBalance(null) // 以流水接口返回的最新余额为准
    if (pk.ok) {
      setPackages(pk.data.packages)
      setSelected((cur) => cur ?? pk.data.packages[1]?._id ?? pk.data.packages[0]?._id ?? null)
    } else {
      toast(pk.error.message)
    }
  }, [reloadLedger])

  useDidShow(() => {
    void load()
  })
  useReachBottom(() => {
    void ledger.loadMore()
  })

  const shownBalance = balance ?? ledger.head?.balance ?? null

  const doTopup = async () => {
    const pkg = packages?.find((p) => p._id === selected)
    if (!pkg || payingRef.current) return
    payingRef.current = true
    setPaying(true)
    try {
      const before = shownBalance ?? 0
      const order = await topup(pkg._id)
      if (!order.ok) {
        toast(order.error.message)
        return
      }
      const paid = await payFor(order.data.payment, order.data.outTradeNo)
      if (!paid.ok) {
        toast(paid.message)
        return
      }
      // 到账以支付回调为准：轮询余额约 3 秒
      const credited = await pollUntil(async () => {
        const me = await fetchMe()
        return me.ok && me.data.member.balance >= before + order.data.credit ? me.data.member.balance : null
      })
      if (credited !== null) {
        setBalance(credited)
        setResult(`充值成功，到账 ${yuan(order.data.credit)}`)
        toast('充值成功', 'success')
      } else {
        setResult('支付成功，余额到账可能稍有延迟，请稍后下拉刷新')
        toast('支付成功，到账中')
      }
      void ledger.reload()
    } finally {
      payingRef.current = false
      setPaying(false)
    }
  }

  if (ledger.error && !ledger.head && !packages) return <LoadError idPrefix="sv" error={ledger.error} onRetry={load} />

  const pkg = packages?.find((p) => p._id === selected)
  return (
    <View className="page sv-page">
      <View className="sv-head">
        <Text className="sv-head__label">储值余额</Text>
        <Text className="sv-head__value" id="sv-balance">
          {shownBalance === null ? '--' : yuan(shownBalance)}
        </Text>
        <Text className="sv-head__tip">可用于门店及小程序消费</Text>
      </View>

      <View className="sv-box">
        <Text className="sv-box__title">选择充值金额</Text>
        <View className="sv-packages">
          {(packages ?? []).map((p) => (
            <View
              key={p._id}
              className={`sv-package${p._id === selected ? ' sv-package--on' : ''}`}
              data-package-id={p._id}
              onClick={() => setSelected(p._id)}
            >
              {p.bonus > 0 && <Text className="sv-package__badge">送 {yuanShort(p.bonus)} 元</Text>}
              <Text className="sv-package__pay">
                <Text className="sv-package__yen">¥</Text>
                {yuanShort(p.pay)}
              </Text>
              <Text className="sv-package__credit">到账 {yuan(p.credit)}</Text>
            </View>
          ))}
        </View>
        {packages && packages.length === 0 && <Text className="sv-empty">暂无可用充值套餐</Text>}
        <View className="sv-action">
          <Button
            id="topup-btn"
            type="primary"
            shape="round"
            size="large"
            block
            disabled={!pkg}
            loading={paying}
            onClick={() => void doTopup()}
          >
            {pkg ? `立即充值 ${yuan(pkg.pay)}` : '立即充值'}
          </Button>
        </View>
        {result !== '' && (
          <Text className="sv-result" id="topup-result">
            {result}
          </Text>
        )}
        <Text className="sv-note">储值金额仅限本品牌使用，不可提现、不可转赠；赠送金额不可开票</Text>
      </View>

      <Text className="sv-section">余额明细</Text>
      <LedgerList
        items={ledger.items}
        loading={ledger.loading}
        hasMore={ledger.hasMore}
        formatDelta={signedYuan}
        formatBalance={yuan}
        emptyText="暂无储值记录"
        onMore={() => void ledger.loadMore()}
      />
    </View>
  )
}
