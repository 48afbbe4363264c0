import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { ProductPic } from '@/components/ProductCard'
import {
  fetchMyCoupons,
  getCheckoutLines,
  placeOrder,
  previewOrder,
  storeName,
  type Address,
  type CouponVerdict,
  type Fulfilment,
  type MyCoupon,
  type PreviewResult,
} from '@/services/shop'
import { shanghaiDay, yuan } from '@/utils/format'
import { newRequestId, toast } from '@/utils/ui'
import '../../components/shop.scss'
import PriceBreakdown from '../../components/PriceBreakdown'
import { Popup, Switch } from '../../components/nut'
import { useMemberStore } from '../../utils/hooks'
import { couponReason, openOrderDetail, payOrder, pickStore } from '../../utils/trade'
import './index.scss'

const ADDRESS_KEY = 'shop_last_address'
const PHONE_RE = /^1\d{10}$/

// 优惠券选择：'auto' = 由服务端选最优（首次预览），null = 不使用，其余为券 id
type CouponChoice = 'auto' | string | null

function loadAddress(): Address {
  const saved: unknown = Taro.getStorageSync(ADDRESS_KEY)
  if (saved && typeof saved === 'object') {
    const a = saved as Partial<Address>
    return { name: a.name ?? '', phone: a.phone ?? '', detail: a.detail ?? '' }
  }
  return { name: '', phone: '', detail: '' }
}

// 确认订单：商品、配送方式（到店自提 / 快递配送）、优惠券、积分、储值、价格明细；每次改动都由服务端 preview 重新计价
export default function CheckoutPage() {
  const [lines] = useState(getCheckoutLines)
  const [fulfilment, setFulfilment] = useState<Fulfilment>('pickup')
  const [storeId, setStoreId, stores] = useMemberStore()
  const [address, setAddress] = useState<Address>(loadAddress)
  const [couponChoice, setCouponChoice] = useState<CouponChoice>('auto')
  const [usePoints, setUsePoints] = useState(false)
  const [useBalance, setUseBalance] = useState(false)
  const [preview, setPreview] = useState<PreviewResult | null>(null)
  const [previewing, setPreviewing] = useState(true)
  const [verdicts, setVerdicts] = useState<CouponVerdict[]>([])
  const [myCoupons, setMyCoupons] = useState<MyCoupon[]>([])
  const [couponOpen, setCouponOpen] = useState(false)
  const [submitting, setSubmitting] = useState(false)
  const seq = useRef(0)
  const submittingRef = useRef(false)
  // 一次结算一个请求号：连点“提交订单”只会生成一笔订单
  const requestId = useRef(newRequestId())

  const lineInputs = lines.map((l) => ({ skuId: l.skuId, qty: l.qty }))
  const points = preview?.points ?? 0

  useEffect(() => {
    void fetchMyCoupons('unused').then((res) => res.ok && setMyCoupons(res.data.coupons))
  }, [])

  // 任何影响价格的选择变化后重新预览（只采用最后一次请求的结果）
  useEffect(() => {
    if (lines.length === 0) return
    const my = ++seq.current
    setPreviewing(true)
    void previewOrder({
      lines: lineInputs,
      ...(couponChoice === 'auto' ? { autoCoupon: true } : couponChoice ? { couponId: couponChoice } : {}),
      pointsToUse: usePoints ? Math.max(points, 1) : 0,
      useBalance,
    }).then((res) => {
      if (my !== seq.current) return
      setPreviewing(false)
      if (!res.ok) {
        toast(res.error.message)
        // 所选券不可用：退回不用券
        if (res.error.code.startsWith('COUPON_') && couponChoice !== null) setCouponChoice(null)
        return
      }
      setPreview(res.data)
      // 券的可用性只随商品变化：以自动选券那次的完整列表为准
      if (couponChoice === 'auto') setVerdicts(res.data.coupons)
    })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [couponChoice, usePoints, useBalance])

  if (lines.length === 0) {
    return (
      <View className="page">
        <Text className="sp-empty">没有待结算的商品，请返回重新选择</Text>
      </View>
    )
  }

  const price = preview?.price ?? null
  const appliedCouponId = preview?.couponId ?? null
  const usable = verdicts.filter((v) => v.ok)
  // 积分抵扣上限由服务端按运营配置的规则算出（用券后金额的比例、积分余额）
  const limit = price?.pointsLimit ?? { maxPoints: 0, maxDeduction: 0 }
  const balance = preview?.balance ?? 0
  const saved = price
    ? price.memberDiscount +
      (price.tierDiscount ?? 0) +
      price.activityDiscount +
      price.couponDiscount +
      price.pointsDeduction
    : 0

  const submit = async () => {
    if (submittingRef.current || !preview) return
    if (fulfilment === 'delivery') {
      if (!address.name.trim()) return toast('请填写收货人')
      if (!PHONE_RE.test(address.phone)) return toast('请填写正确的手机号')
      if (address.detail.trim().length < 2) return toast('请填写详细地址')
    }
    submittingRef.current = true
    setSubmitting(true)
    try {
      const res = await placeOrder({
        lines: lineInputs,
        requestId: requestId.current,
        fulfilment,
        ...(fulfilment === 'pickup'
          ? { storeId }
          : { address: { name: address.name.trim(), phone: address.phone, detail: address.detail.trim() } }),
        ...(appliedCouponId ? { couponId: appliedCouponId } : {}),
        ...(usePoints && preview.price.pointsUsed > 0 ? { pointsToUse: preview.price.pointsUsed } : {}),
        useBalance,
      })
      if (!res.ok) {
        // 请求号保持不变：网络超时后重试若服务端其实已下单，会拿回同一笔订单
        toast(res.error.message)
        return
      }
      if (fulfilment === 'delivery') Taro.setStorageSync(ADDRESS_KEY, address)
      const { order, payment } = res.data
      const paid = await payOrder(order, payment)
      if (!paid.paid) toast(paid.cancelled ? '已取消支付，可在订单中继续支付' : paid.message)
      openOrderDetail(order._id)
    } finally {
      submittingRef.current = false
      setSubmitting(false)
    }
  }

  const chooseStore = async () => {
    const id = await pickStore()
    if (id) setStoreId(id)
  }

  return (
    <View className="page co-page">
      <View className="co-switch" id="fulfilment-switch">
        {(
          [
            ['pickup', '到店自提'],
            ['delivery', '快递配送'],
          ] as const
        ).map(([key, label]) => (
          <View
            key={key}
            className={`co-switch__item${fulfilment === key ? ' co-switch__item--on' : ''}`}
            data-key={key}
            id={`fulfilment-${key}`}
            onClick={() => setFulfilment(key)}
          >
            {label}
          </View>
        ))}
      </View>

      {fulfilment === 'pickup' ? (
        <View className="sp-card co-store" id="store-picker" onClick={() => void chooseStore()}>
          <View className="co-store__main">
            <Text className="co-store__label">自提门店</Text>
            <Text className="co-store__name" id="store-name">
              {storeName(stores, storeId)}
            </Text>
          </View>
          <Text className="co-link">切换门店 ›</Text>
        </View>
      ) : (
        <View className="sp-card co-address" id="address-form">
          <View className="co-field">
            <Text className="co-field__label">收货人</Text>
            <Input
              id="address-name"
              className="co-field__input"
              value={address.name}
              maxlength={20}
              placeholder="请填写收货人姓名"
              onInput={(e) => setAddress((a) => ({ ...a, name: e.detail.value }))}
            />
          </View>
          <View className="co-field">
            <Text className="co-field__label">手机号</Text>
            <Input
              id="address-phone"
              className="co-field__input"
              type="number"
              value={address.phone}
              maxlength={11}
              placeholder="请填写收货人手机号"
              onInput={(e) => setAddress((a) => ({ ...a, phone: e.detail.value }))}
            />
          </View>
          <View className="co-field">
            <Text className="co-field__label">详细地址</Text>
            <Input
              id="address-detail"
              className="co-field__input"
              value={address.detail}
              maxlength={100}
              placeholder="省市区、街道、门牌号"
              onInput={(e) => setAddress((a) => ({ ...a, detail: e.detail.value }))}
            />
          </View>
        </View>
      )}

      <View className="sp-card" id="checkout-lines">
        {lines.map((l) => {
          const priced = preview?.price.lines?.find((x) => x.skuId === l.skuId)
          return (
            <View key={l.skuId} className="sp-line">
              <ProductPic className="sp-line__pic" src={l.image} name={l.name} />
              <View className="sp-line__body">
                <Text className="sp-line__name">{l.name}</Text>
                {l.spec !== '' && <Text className="sp-line__spec">{l.spec}</Text>}
                <View className="sp-line__foot">
                  <Text className="sp-line__price">{yuan(priced?.unitPrice ?? l.price)}</Text>
                  <Text className="sp-line__qty">x{l.qty}</Text>
                </View>
              </View>
            </View>
          )
        })}
      </View>

      <View className="sp-card co-options">
        <View className="co-option" id="coupon-cell" onClick={() => setCouponOpen(true)}>
          <Text className="co-option__label">优惠券</Text>
          <Text className={`co-option__value${appliedCouponId ? ' co-option__value--on' : ''}`} id="coupon-value">
            {appliedCouponId && price
              ? `-${yuan(price.couponDiscount)}`
              : usable.length > 0
                ? `${usable.length} 张可用`
                : '暂无可用'}
          </Text>
          <Text className="co-link">›</Text>
        </View>
        <View className="co-option" id="points-option">
          <View className="co-option__main">
            <Text className="co-option__label">积分抵扣</Text>
            <Text className="co-option__hint">
              {points <= 0
                ? '暂无可用积分'
                : usePoints && price
                  ? `已用 ${price.pointsUsed} 积分，抵 ${yuan(price.pointsDeduction)}`
                  : `共 ${points} 积分，最多可用 ${limit.maxPoints} 积分抵 ${yuan(limit.maxDeduction)}`}
            </Text>
          </View>
          <View id="points-switch">
            <Switch
              checked={usePoints}
              disabled={points <= 0 || limit.maxPoints <= 0}
              onChange={(v) => setUsePoints(v)}
            />
          </View>
        </View>
        <View className="co-option" id="balance-option">
          <View className="co-option__main">
            <Text className="co-option__label">储值支付</Text>
            <Text className="co-option__hint">
              {useBalance && price ? `使用余额 ${yuan(price.balanceUsed)}` : `可用余额 ${yuan(balance)}`}
            </Text>
          </View>
          <View id="balance-switch">
            <Switch checked={useBalance} disabled={balance <= 0} onChange={(v) => setUseBalance(v)} />
          </View>
        </View>
      </View>

      {price ? <PriceBreakdown price={price} /> : <Text className="sp-empty">正在计算价格…</Text>}

      <View className="sp-bar-space" />
      <View className="sp-bar">
        <View className="sp-bar__main">
          <Text>实付</Text>
          <Text className="sp-bar__amount" id="pay-amount">
            {price ? yuan(price.payAmount) : '--'}
          </Text>
          {saved > 0 && <Text className="sp-bar__sub">已优惠 {yuan(saved)}</Text>}
        </View>
        <Button
          id="submit-order"
          type="primary"
          shape="round"
          disabled={!price || previewing}
          loading={submitting}
          onClick={() => void submit()}
        >
          提交订单
        </Button>
      </View>

      <Popup
        visible={couponOpen}
        position="bottom"
        round
        closeable
        title="选择优惠券"
        onClose={() => setCouponOpen(false)}
      >
        <View className="co-coupons" id="coupon-list">
          <View
            className={`co-coupon co-coupon--none${appliedCouponId === null ? ' co-coupon--on' : ''}`}
            data-id=""
            onClick={() => {
              setCouponChoice(null)
              setCouponOpen(false)
            }}
          >
            <Text className="co-coupon__name">不使用优惠券</Text>
          </View>
          {myCoupons.map((c) => {
            const v = verdicts.find((x) => x.couponId === c._id)
            const ok = Boolean(v?.ok) && c.status === 'unused'
            return (
              <View
                key={c._id}
                className={['co-coupon', !ok && 'co-coupon--off', appliedCouponId === c._id && 'co-coupon--on']
                  .filter(Boolean)
                  .join(' ')}
                data-id={c._id}
                onClick={() => {
                  if (!ok) return
                  setCouponChoice(c._id)
                  setCouponOpen(false)
                }}
              >
                <View className="co-coupon__main">
                  <Text className="co-coupon__name">{c.name}</Text>
                  {c.desc ? <Text className="co-coupon__desc">{c.desc}</Text> : null}
                  <Text className="co-coupon__desc">有效期至 {shanghaiDay(c.validTo)}</Text>
                  {!ok && (
                    <Text className="co-coupon__reason">
                      {c.status === 'locked' ? '已被待支付订单占用' : couponReason(v?.code)}
                    </Text>
                  )}
                </View>
                <View className="co-coupon__side">
                  {ok && <Text className="co-coupon__off">-{yuan(v?.discount ?? 0)}</Text>}
                  {ok && preview?.suggestion?.couponId === c._id && <Text className="co-coupon__best">最优</Text>}
                </View>
              </View>
            )
          })}
          {myCoupons.length === 0 && <Text className="sp-empty">暂无优惠券，去领券中心看看</Text>}
        </View>
      </Popup>
    </View>
  )
}
