import Taro from '@tarojs/taro'
import { cachedLoader } from '@/utils/cached'
import { caller, type ActionName, type In, type Out } from './cloud'
import type { OrderLine, OrderStatus, OrderView } from '@cloud/domain/orders'
import type { PriceBreakdown } from '@cloud/domain/pricing'
import type { FlashPhase } from '@cloud/domain/activities'

// ---- 类型（shop 云函数的返回） ----

type ShopOut<A extends ActionName<'shop'>> = Out<'shop', A>

export type Category = ShopOut<'categories'>['categories'][number]

export type ProductSummary = ShopOut<'products'>['products'][number]

export type Product = ProductDetail['product']

export type Sku = ProductDetail['skus'][number]

// 秒杀阶段只在领域模块声明一次
export type { FlashPhase }

export type FlashSale = ShopOut<'flashSales'>['sales'][number]

export type GroupBuy = ShopOut<'groupBuys'>['activities'][number]

export type OpenGroup = ShopOut<'groupBuys'>['openGroups'][number]

export type ProductDetail = ShopOut<'product'>

export type CouponTemplate = ShopOut<'couponCenter'>['templates'][number]

export type MyCoupon = ShopOut<'myCoupons'>['coupons'][number]

export interface CheckoutLineInput {
  skuId: string
  qty: number
}

// 价格明细与订单文档只在云端领域模块声明一次
export type { PriceBreakdown }

export type CouponVerdict = PreviewResult['coupons'][number]

export type PreviewResult = ShopOut<'preview'>

export type Fulfilment = OrderView['fulfilment']

// 收货地址：placeOrder 入参的声明
export type Address = NonNullable<PlaceInput['address']>

// 订单状态只在领域模块声明一次
export type { OrderStatus }

export type { OrderLine }

/** 买家看到的订单；详情另带售后截止时间：已完成的订单在此之前可申请退款 */
export type Order = OrderView & { refundUntil?: number | null }

// 拉起微信支付的参数（云端 unifiedOrder 的返回）
export type Payment = NonNullable<ShopOut<'placeOrder'>['payment']>

export type PlaceInput = In<'shop', 'placeOrder'>

export type GroupDetail = ShopOut<'groupDetail'>

export type OrderPlaced = ShopOut<'placeOrder'>

// ---- 调用 ----

const call = caller('shop')

export const fetchCategories = () => call('categories')
export const fetchProducts = (q: { categoryId?: string; keyword?: string; skip?: number } = {}) => call('products', q)
export const fetchProduct = (id: string) => call('product', { id })
export const fetchServerTime = () => call('serverTime')
export const fetchCouponCenter = () => call('couponCenter')
export const claimCoupon = (templateId: string) => call('claimCoupon', { templateId })
export const fetchMyCoupons = (status?: 'unused' | 'used' | 'expired') => call('myCoupons', status ? { status } : {})
export const previewOrder = (input: {
  lines: CheckoutLineInput[]
  couponId?: string
  autoCoupon?: boolean
  pointsToUse?: number
  useBalance?: boolean
}) => call('preview', input)
export const placeOrder = (input: PlaceInput) => call('placeOrder', input)
export const fetchMyOrders = (q: { status?: OrderStatus; before?: number } = {}) => call('myOrders', q)
export const fetchOrder = (id: string) => call('orderDetail', { id })
export const repayOrder = (id: string) => call('repay', { id })
export const cancelOrder = (id: string) => call('cancel', { id })
export const refundOrder = (id: string, reason?: string) => call('refund', reason ? { id, reason } : { id })
export const confirmReceipt = (id: string) => call('confirmReceipt', { id })
export const fetchFlashSales = () => call('flashSales')
export const flashBuy = (input: {
  saleId: string
  requestId: string
  qty?: number
  fulfilment?: Fulfilment
  storeId?: string
}) => call('flashBuy', input)
export const fetchGroupBuys = () => call('groupBuys')
export const fetchGroupDetail = (groupId: string) => call('groupDetail', { groupId })
export const openGroup = (activityId: string, input: { fulfilment?: Fulfilment; storeId?: string } = {}) =>
  call('openGroup', { activityId, ...input })
export const joinGroup = (groupId: string, input: { fulfilment?: Fulfilment; storeId?: string } = {}) =>
  call('joinGroup', { groupId, ...input })

// ---- 下单商品的页面间传递（URL 不带长参数）：内存 + Taro 存储兜底（h5 刷新后仍在） ----

export interface CartLine {
  skuId: string
  qty: number
  productId: string
  name: string
  spec: string
  image: string
  /** 展示用单价（分），以结算页 preview 为准 */
  price: number
}

const CHECKOUT_KEY = 'shop_checkout_lines'
let checkoutLines: CartLine[] | null = null

export function setCheckoutLines(lines: CartLine[]): void {
  checkoutLines = lines
  try {
    Taro.setStorageSync(CHECKOUT_KEY, lines)
  } catch {
    // 存储失败时仍有内存副本
  }
}

export function getCheckoutLines(): CartLine[] {
  if (checkoutLines) return checkoutLines
  const saved: unknown = Taro.getStorageSync(CHECKOUT_KEY)
  return Array.isArray(saved) ? (saved as CartLine[]) : []
}

// ---- 门店：来自云端 shop.stores，本次运行内缓存 ----

export type StoreInfo = ShopOut<'stores'>['stores'][number]

const stores = cachedLoader<StoreInfo[]>(async () => {
  const res = await call('stores')
  return res.ok ? { value: res.data.stores, keep: true } : { value: [], keep: false }
}, [])

// 品牌的门店列表（失败时为空，下次再取）
export const loadStores = stores.load

// 页面里用的门店列表
export const useStores = stores.useValue

export function storeName(stores: StoreInfo[], id: string | null | undefined): string {
  return stores.find((s) => s._id === id)?.name ?? '--'
}

// ---- 展示辅助 ----

export const SHOP = '/package-shop/pages'

// 剩余毫秒 → 倒计时文案：1天 02:03:04 / 02:03:04 / 03:04
export function countdownText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const d = Math.floor(total / 86400)
  const h = Math.floor((total % 86400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  const hms = `${pad(h)}:${pad(m)}:${pad(s)}`
  return d > 0 ? `${d}天 ${hms}` : hms
}
