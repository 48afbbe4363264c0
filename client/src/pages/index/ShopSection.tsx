import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { ScrollView, Text, View } from '@tarojs/components'
import ProductCard from '@/components/ProductCard'
import {
  countdownText,
  fetchCategories,
  fetchFlashSales,
  fetchProducts,
  SHOP,
  type Category,
  type FlashSale,
  type ProductSummary,
} from '@/services/shop'
import { useServerClock } from '@/utils/clock'
import { yuan } from '@/utils/format'
import { go, toast } from '@/utils/ui'
import './ShopSection.scss'

// 活动入口：[id 后缀, 标题, 图标字, 图标样式, 商城分包页面]
const ENTRIES = [
  ['group', '拼团', '团', 'group', 'group'],
  ['coupons', '领券中心', '券', 'coupon', 'coupons'],
  ['flash', '秒杀', '抢', 'flash', 'flash'],
  ['orders', '我的订单', '单', 'order', 'order'],
] as const

// 首页商城区：秒杀条（服务端时间倒计时）、拼团 / 领券 / 订单入口、分类标签 + 商品宫格
export default function ShopSection() {
  const [categories, setCategories] = useState<Category[]>([])
  const [active, setActive] = useState('')
  const [products, setProducts] = useState<ProductSummary[] | null>(null)
  const [nextSkip, setNextSkip] = useState<number | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [flash, setFlash] = useState<FlashSale | null>(null)
  const clock = useServerClock()
  const seq = useRef(0)

  const loadProducts = useCallback(async (categoryId: string, skip = 0) => {
    const my = ++seq.current
    const res = await fetchProducts(categoryId ? { categoryId, skip } : { skip })
    if (my !== seq.current) return
    if (!res.ok) {
      toast(res.error.message)
      if (skip === 0) setProducts([])
      return
    }
    setProducts((cur) => (skip === 0 ? res.data.products : [...(cur ?? []), ...res.data.products]))
    setNextSkip(res.data.nextSkip)
  }, [])

  const { sync } = clock
  const loadFlash = useCallback(async () => {
    const res = await fetchFlashSales()
    if (!res.ok) return
    sync(res.data.serverTime)
    const live = res.data.sales.filter((s) => s.phase === 'active' || s.phase === 'upcoming')
    setFlash(live.find((s) => s.phase === 'active') ?? live[0] ?? null)
  }, [sync])

  // 首次挂载（会员就绪后才渲染本区）拉分类与秒杀；之后每次回到首页刷新秒杀
  useEffect(() => {
    void fetchCategories().then((res) => res.ok && setCategories(res.data.categories))
    void loadFlash()
  }, [loadFlash])
  useDidShow(() => {
    void loadFlash()
  })

  useEffect(() => {
    void loadProducts(active)
  }, [active, loadProducts])

  const more = async () => {
    if (nextSkip === null || loadingMore) return
    setLoadingMore(true)
    await loadProducts(active, nextSkip)
    setLoadingMore(false)
  }

  const started = flash ? clock.now >= flash.startAt : false
  return (
    <View className="home-shop">
      {flash && (
        <View className="hs-flash" id="home-flash" onClick={() => go(`${SHOP}/flash/index`)}>
          <View className="hs-flash__badge">
            <Text className="hs-flash__badge-title">限时秒杀</Text>
            <Text className="hs-flash__badge-time" id="home-flash-countdown">
              {started
                ? `${countdownText(flash.endAt - clock.now)} 后结束`
                : `${countdownText(flash.startAt - clock.now)} 后开抢`}
            </Text>
          </View>
          <View className="hs-flash__body">
            <Text className="hs-flash__name">{flash.name ?? flash.title}</Text>
            <View className="hs-flash__prices">
              <Text className="hs-flash__price">{yuan(flash.price)}</Text>
              {flash.listPrice !== undefined && <Text className="hs-flash__list">{yuan(flash.listPrice)}</Text>}
            </View>
          </View>
          <View className="hs-flash__go">{started ? '马上抢' : '去看看'}</View>
        </View>
      )}

      <View className="hs-entries">
        {ENTRIES.map(([key, title, glyph, icon, page]) => (
          <View key={key} className="hs-entry" id={`home-entry-${key}`} onClick={() => go(`${SHOP}/${page}/index`)}>
            <View className={`hs-entry__icon hs-entry__icon--${icon}`}>{glyph}</View>
            <Text className="hs-entry__title">{title}</Text>
          </View>
        ))}
      </View>

      <ScrollView className="hs-tabs" scrollX enhanced showScrollbar={false}>
        {[{ _id: '', name: '全部', sort: 0 }, ...categories].map((c) => (
          <View
            key={c._id || 'all'}
            className={`hs-tab${c._id === active ? ' hs-tab--on' : ''}`}
            data-id={c._id}
            onClick={() => setActive(c._id)}
          >
            {c.name}
          </View>
        ))}
      </ScrollView>

      <View className="hs-grid" id="home-products">
        {(products ?? []).map((p) => (
          <ProductCard key={p._id} product={p} onClick={() => go(`${SHOP}/product/index?id=${p._id}`)} />
        ))}
      </View>
      {products === null && <Text className="hs-empty">加载中…</Text>}
      {products !== null && products.length === 0 && <Text className="hs-empty">该分类暂无商品</Text>}
      {nextSkip !== null && (
        <Text className="hs-more" onClick={() => void more()}>
          {loadingMore ? '加载中…' : '查看更多商品'}
        </Text>
      )}
    </View>
  )
}
