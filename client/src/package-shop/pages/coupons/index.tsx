import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import ErrorView from '@/components/ErrorView'
import { askSubscribe } from '@/services/subscribe'
import { claimCoupon, fetchCouponCenter, fetchMyCoupons, type CouponTemplate, type MyCoupon } from '@/services/shop'
import { shanghaiDay } from '@/utils/format'
import { toast } from '@/utils/ui'
import '../../components/shop.scss'
import './index.scss'

type Tab = 'center' | 'mine'
type MineStatus = 'unused' | 'used' | 'expired'

const MINE_TABS: { key: MineStatus; title: string }[] = [
  { key: 'unused', title: '未使用' },
  { key: 'used', title: '已使用' },
  { key: 'expired', title: '已过期' },
]

function validityText(t: CouponTemplate): string {
  return t.validity.type === 'fixed'
    ? `${shanghaiDay(t.validity.from)} 至 ${shanghaiDay(t.validity.to)}`
    : `领取后 ${t.validity.days} 天内有效`
}

// 领券按钮文案
function claimState(t: CouponTemplate): { text: string; enabled: boolean } {
  if (t.canClaim) return { text: t.claimedByMe > 0 ? '再领一张' : '立即领取', enabled: true }
  if (t.perMemberLimit > 0 && t.claimedByMe >= t.perMemberLimit) return { text: '已领取', enabled: false }
  if (t.reason === 'COUPON_NEW_MEMBERS_ONLY') return { text: '仅限新人', enabled: false }
  if (t.left <= 0) return { text: '已抢光', enabled: false }
  return { text: '已结束', enabled: false }
}

// 优惠券：领券中心（立即领取）与我的优惠券（未使用 / 已使用 / 已过期）
export default function CouponsPage() {
  const { params } = useRouter()
  const [tab, setTab] = useState<Tab>(params.tab === 'mine' ? 'mine' : 'center')
  const [mineStatus, setMineStatus] = useState<MineStatus>('unused')
  const [templates, setTemplates] = useState<CouponTemplate[] | null>(null)
  const [mine, setMine] = useState<MyCoupon[] | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [busyId, setBusyId] = useState<string | null>(null)
  const busyRef = useRef(false)

  const loadCenter = useCallback(async () => {
    const res = await fetchCouponCenter()
    if (!res.ok) return setError(res.error)
    setError(null)
    setTemplates(res.data.templates)
  }, [])

  const loadMine = useCallback(async (status: MineStatus) => {
    setMine(null)
    const res = await fetchMyCoupons(status)
    if (!res.ok) return setError(res.error)
    setError(null)
    setMine(res.data.coupons)
  }, [])

  useDidShow(() => {
    void (tab === 'center' ? loadCenter() : loadMine(mineStatus))
  })

  const switchTab = (t: Tab) => {
    setTab(t)
    void (t === 'center' ? loadCenter() : loadMine(mineStatus))
  }

  const claim = async (t: CouponTemplate) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusyId(t._id)
    const res = await claimCoupon(t._id)
    busyRef.current = false
    setBusyId(null)
    if (!res.ok) toast(res.error.message)
    else {
      toast('领取成功', 'success')
      // 领券成功：请求券到期提醒与活动通知的订阅
      void askSubscribe(['couponExpiring', 'campaign'])
    }
    void loadCenter()
  }

  return (
    <View className="page cp-page">
      <View className="sp-tabs" id="coupon-tabs">
        <View
          className={`sp-tab${tab === 'center' ? ' sp-tab--on' : ''}`}
          id="tab-center"
          onClick={() => switchTab('center')}
        >
          领券中心
        </View>
        <View
          className={`sp-tab${tab === 'mine' ? ' sp-tab--on' : ''}`}
          id="tab-mine"
          onClick={() => switchTab('mine')}
        >
          我的优惠券
        </View>
      </View>

      {error && (tab === 'center' ? !templates : !mine) ? (
        <ErrorView
          idPrefix="coupons"
          code={error.code}
          message={error.message}
          onRetry={() => void (tab === 'center' ? loadCenter() : loadMine(mineStatus))}
        />
      ) : tab === 'center' ? (
        <View className="cp-list" id="coupon-center">
          {(templates ?? []).map((t) => {
            const st = claimState(t)
            return (
              <View key={t._id} className={`cp-coupon${st.enabled ? '' : ' cp-coupon--off'}`} data-id={t._id}>
                <View className="cp-coupon__main">
                  <Text className="cp-coupon__name">{t.name}</Text>
                  <Text className="cp-coupon__desc">{t.desc}</Text>
                  <Text className="cp-coupon__meta">{validityText(t)}</Text>
                  <Text className="cp-coupon__meta">
                    {t.perMemberLimit > 0 ? `每人限领 ${t.perMemberLimit} 张` : '不限领取次数'}
                    {t.claimedByMe > 0 ? ` · 已领 ${t.claimedByMe} 张` : ''}
                  </Text>
                </View>
                <View className="claim-btn" data-id={t._id} data-enabled={st.enabled ? '1' : '0'}>
                  <Button
                    type="primary"
                    shape="round"
                    size="small"
                    disabled={!st.enabled}
                    loading={busyId === t._id}
                    onClick={() => void claim(t)}
                  >
                    {st.text}
                  </Button>
                </View>
              </View>
            )
          })}
          {templates && templates.length === 0 && <Text className="sp-empty">暂无可领取的优惠券</Text>}
          {!templates && <Text className="sp-empty">加载中…</Text>}
        </View>
      ) : (
        <View className="cp-list" id="my-coupons">
          <View className="cp-subtabs">
            {MINE_TABS.map((m) => (
              <View
                key={m.key}
                className={`cp-subtab${m.key === mineStatus ? ' cp-subtab--on' : ''}`}
                onClick={() => {
                  setMineStatus(m.key)
                  void loadMine(m.key)
                }}
              >
                {m.title}
              </View>
            ))}
          </View>
          {(mine ?? []).map((c) => (
            <View
              key={c._id}
              className={`cp-coupon${mineStatus === 'unused' ? '' : ' cp-coupon--off'}`}
              data-id={c._id}
            >
              <View className="cp-coupon__main">
                <Text className="cp-coupon__name">{c.name}</Text>
                {c.desc ? <Text className="cp-coupon__desc">{c.desc}</Text> : null}
                <Text className="cp-coupon__meta">
                  {shanghaiDay(c.validFrom)} 至 {shanghaiDay(c.validTo)}
                </Text>
              </View>
              {mineStatus === 'unused' ? (
                c.status === 'locked' ? (
                  <Text className="cp-coupon__state">待支付订单占用</Text>
                ) : (
                  <Text className="cp-coupon__use" onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
                    去使用
                  </Text>
                )
              ) : (
                <Text className="cp-coupon__state">{mineStatus === 'used' ? '已使用' : '已过期'}</Text>
              )}
            </View>
          ))}
          {mine && mine.length === 0 && <Text className="sp-empty">暂无优惠券</Text>}
          {!mine && <Text className="sp-empty">加载中…</Text>}
        </View>
      )}
    </View>
  )
}
