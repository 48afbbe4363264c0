import { useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Swiper, SwiperItem, Text, View } from '@tarojs/components'
import { Button, Tag } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import { ProductPic } from '@/components/ProductCard'
import { countdownText, fetchProduct, setCheckoutLines, SHOP } from '@/services/shop'
import { track, usePageTracking } from '@/services/tracker'
import { useServerClock } from '@/utils/clock'
import { yuan } from '@/utils/format'
import { go, toast } from '@/utils/ui'
import '../../components/shop.scss'
import { InputNumber } from '../../components/nut'
import './index.scss'

const FAVORITES_KEY = 'shop_favorites'

function loadFavorites(): string[] {
  const saved: unknown = Taro.getStorageSync(FAVORITES_KEY)
  return Array.isArray(saved) ? saved.filter((x): x is string => typeof x === 'string') : []
}

// 商品详情：图片、价格与会员价、规格选择、数量、收藏、立即购买；进行中的秒杀/拼团给入口
export default function ProductPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  usePageTracking('package-shop/pages/product/index')
  const [favorite, setFavorite] = useState(() => loadFavorites().includes(id))
  const viewedRef = useRef<string | null>(null)
  const [skuId, setSkuId] = useState<string | null>(null)
  const [qty, setQty] = useState(1)
  const clock = useServerClock()
  const {
    data: detail,
    error,
    load,
  } = useCloudData(
    () => fetchProduct(id),
    (d) => {
      clock.sync(d.serverTime)
      // 商品浏览：每次进入详情记一次（返回本页刷新不重复记）
      if (viewedRef.current !== d.product._id) {
        viewedRef.current = d.product._id
        track('product_view', {
          productId: d.product._id,
          categoryId: d.product.categoryId,
          page: 'package-shop/pages/product/index',
        })
      }
      setSkuId((cur) => cur ?? d.skus.find((s) => s.onShelf && s.stock > 0)?._id ?? null)
    },
  )

  if (error && !detail) return <LoadError idPrefix="product" error={error} onRetry={load} />
  if (!detail)
    return (
      <View className="page">
        <Text className="sp-empty">加载中…</Text>
      </View>
    )

  const { product, skus } = detail
  const sku = skus.find((s) => s._id === skuId) ?? null
  const price = sku?.price ?? product.price
  const memberPrice = sku?.memberPrice ?? product.memberPrice
  const images = product.images?.length ? product.images : ['']
  const flash = detail.flashSales.find((s) => s.phase === 'active' || s.phase === 'upcoming') ?? null
  const group = detail.groupBuys[0] ?? null
  const maxQty = Math.max(1, Math.min(99, sku?.stock ?? 1))

  const buy = () => {
    if (!sku) {
      toast('请选择规格')
      return
    }
    track('add_to_cart', {
      productId: product._id,
      categoryId: product.categoryId,
      page: 'package-shop/pages/product/index',
    })
    setCheckoutLines([
      {
        skuId: sku._id,
        qty,
        productId: product._id,
        name: product.name,
        spec: sku.spec,
        image: product.images?.[0] ?? '',
        price: sku.memberPrice || sku.price,
      },
    ])
    go(`${SHOP}/checkout/index`)
  }

  // 收藏（本地记录，只用于兴趣埋点）
  const toggleFavorite = () => {
    const next = !favorite
    setFavorite(next)
    const list = loadFavorites().filter((x) => x !== product._id)
    Taro.setStorageSync(FAVORITES_KEY, next ? [product._id, ...list].slice(0, 200) : list)
    if (next)
      track('favorite', {
        productId: product._id,
        categoryId: product.categoryId,
        page: 'package-shop/pages/product/index',
      })
    toast(next ? '已收藏' : '已取消收藏')
  }

  return (
    <View className="page pd-page">
      <Swiper className="pd-swiper" indicatorDots={images.length > 1} circular>
        {images.map((src, i) => (
          <SwiperItem key={`${src}-${i}`}>
            <ProductPic src={src} name={product.name} categoryId={product.categoryId} className="pd-swiper__pic" />
          </SwiperItem>
        ))}
      </Swiper>

      <View className="pd-info">
        <View className="pd-info__prices">
          <Text className="pd-info__member" id="product-member-price">
            {yuan(memberPrice)}
          </Text>
          <Tag className="pd-info__tag" type="warning">
            会员价
          </Tag>
          {memberPrice < price && <Text className="pd-info__list">{yuan(price)}</Text>}
        </View>
        <Text className="pd-info__name" id="product-name">
          {product.name}
        </Text>
        {product.desc ? <Text className="pd-info__desc">{product.desc}</Text> : null}
      </View>

      {flash && (
        <View className="pd-activity pd-activity--flash" id="product-flash" onClick={() => go(`${SHOP}/flash/index`)}>
          <Text className="pd-activity__tag">秒杀</Text>
          <Text className="pd-activity__title">{yuan(flash.price)} 限时抢</Text>
          <Text className="pd-activity__time sp-countdown">
            {clock.now < flash.startAt
              ? `${countdownText(flash.startAt - clock.now)} 后开抢`
              : `${countdownText(flash.endAt - clock.now)} 后结束`}
          </Text>
          <Text className="pd-activity__go">去抢购 ›</Text>
        </View>
      )}
      {group && (
        <View className="pd-activity pd-activity--group" id="product-group" onClick={() => go(`${SHOP}/group/index`)}>
          <Text className="pd-activity__tag">拼团</Text>
          <Text className="pd-activity__title">
            {group.groupSize} 人团 {yuan(group.price)}
          </Text>
          <Text className="pd-activity__go">去拼团 ›</Text>
        </View>
      )}

      <View className="sp-card">
        <Text className="sp-card__title">规格</Text>
        <View className="pd-specs">
          {skus.map((s) => {
            const disabled = !s.onShelf || s.stock <= 0
            return (
              <View
                key={s._id}
                className={`pd-spec${s._id === skuId ? ' pd-spec--on' : ''}${disabled ? ' pd-spec--off' : ''}`}
                data-id={s._id}
                onClick={() => {
                  if (disabled) return
                  setSkuId(s._id)
                  setQty((q) => Math.min(q, Math.max(1, s.stock)))
                }}
              >
                {s.spec}
                {disabled ? '（售罄）' : ''}
              </View>
            )
          })}
        </View>
        <View className="pd-qty">
          <Text className="pd-qty__label">数量</Text>
          <Text className="pd-qty__stock">{sku ? `库存 ${sku.stock}` : ''}</Text>
          <View id="product-qty">
            <InputNumber
              value={qty}
              min={1}
              max={maxQty}
              onChange={(v) => setQty(Math.max(1, Math.min(maxQty, Number(v) || 1)))}
            />
          </View>
        </View>
      </View>

      <View className="sp-bar-space" />
      <View className="sp-bar">
        <View id="product-favorite" className={`pd-fav${favorite ? ' pd-fav--on' : ''}`} onClick={toggleFavorite}>
          <Text className="pd-fav__icon">{favorite ? '★' : '☆'}</Text>
          <Text className="pd-fav__text">{favorite ? '已收藏' : '收藏'}</Text>
        </View>
        <View className="sp-bar__main">
          <Text>合计</Text>
          <Text className="sp-bar__amount">{yuan(memberPrice * qty)}</Text>
        </View>
        <View id="buy-now">
          <Button type="primary" shape="round" disabled={!sku} onClick={buy}>
            立即购买
          </Button>
        </View>
      </View>
    </View>
  )
}
