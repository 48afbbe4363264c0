import Taro from '@tarojs/taro'
import { callCloud, type Envelope } from './cloud'
import type { OrderLine, OrderStatus, OrderView } from '@cloud/domain/orders'
import type { PriceBreakdown } from '@cloud/domain/pricing'
import type { Group } from '@cloud/domain/activities'

// ---- 类型（shop 云函数的返回） ----

export interface Category {
  _id: string
  name: string
  sort: number
}

export interface ProductSummary {
  _id: string
  name: string
  categoryId: string
  price: number
  memberPrice: number
  images: string[]
  sales: number
  stock: number
}

export interface Product {
  _id: string
  name: string
  categoryId: string
  price: number
  memberPrice: number
  images: string[]
  desc?: string
  specs?: string[]
}

export interface Sku {
  _id: string
  spec: string
  price: number
  memberPrice: number
  stock: number
  onShelf: boolean
}

export type FlashPhase = 'upcoming' | 'active' | 'sold_out' | 'ended' | 'stopped'

export interface FlashSale {
  _id: string
  title: string
  price: number
  stock: number
  total: number
  perMemberLimit: number
  startAt: number
  endAt: number
  phase: FlashPhase
  secondsToStart: number
  secondsToEnd: number
  productId?: string
  skuId?: string
  name?: string
  listPrice?: number
  image?: string
}

export interface GroupBuy {
  _id: string
  title: string
  price: number
  groupSize: number
  validHours: number
  productId?: string
  skuId?: string
  name?: string
  listPrice?: number
  image?: string
}

export interface OpenGroup {
  _id: string
  activityId: string
  size: number
  seats: number
  expiresAt: number
}

export interface ProductDetail {
  product: Product
  skus: Sku[]
  serverTime: number
  flashSales: FlashSale[]
  groupBuys: GroupBuy[]
}

export interface CouponTemplate {
  _id: string
  name: string
  desc: string
  claimedByMe: number
  perMemberLimit: number
  left: number
  canClaim: boolean
  /** 新人专享券：仅限未下过单的会员 */
  audience?: 'all' | 'new_member'
  /** 不可领取的原因（服务端代码），如 COUPON_NEW_MEMBERS_ONLY */
  reason?: string
  validity: { type: 'fixed'; from: number; to: number } | { type: 'relative'; days: number }
}

export interface MyCoupon {
  _id: string
  name: string
  desc?: string
  status: 'unused' | 'locked' | 'used' | 'expired'
  validFrom: number
  validTo: number
}

export interface CheckoutLineInput {
  skuId: string
  qty: number
}

// 价格明细与订单文档只在云端领域模块声明一次
export type { PriceBreakdown }

export interface CouponVerdict {
  couponId: string
  ok: boolean
  discount: number
  code?: string
}

export interface PreviewResult {
  /** 含积分抵扣上限 pointsLimit（服务端按运营规则计算） */
  price: PriceBreakdown
  couponId: string | null
  suggestion: { couponId: string; discount: number } | null
  coupons: CouponVerdict[]
  points: number
  balance: number
}

export type Fulfilment = 'delivery' | 'pickup'

export interface Address {
  name: string
  phone: string
  detail: string
}

// 订单状态只在领域模块声明一次
export type { OrderStatus }

export type { OrderLine }

/** 买家看到的订单；详情另带售后截止时间：已完成的订单在此之前可申请退款 */
export type Order = OrderView & { refundUntil?: number | null }

export type Payment = Record<string, unknown>

export interface PlaceInput {
  lines: CheckoutLineInput[]
  couponId?: string
  pointsToUse?: number
  useBalance?: boolean
  requestId: string
  fulfilment: Fulfilment
  storeId?: string
  address?: Address
}

export interface GroupDetail {
  serverTime: number
  activity: GroupBuy | null
  group: {
    _id: string
    size: number
    seats: number
    paid: number
    status: Group['status']
    expiresAt: number
    virtual: number
  }
  members: { nickname: string; avatar: string; isLeader: boolean }[]
  joined: boolean
}

export interface OrderPlaced {
  order: Order
  payment: Payment | null
}

// ---- 调用 ----

function call<T>(action: string, input: object = {}): Promise<Envelope<T>> {
  return callCloud<T>('shop', { action, ...input })
}

export const fetchCategories = () => call<{ categories: Category[] }>('categories')
export const fetchProducts = (q: { categoryId?: string; keyword?: string; skip?: number } = {}) =>
  call<{ products: ProductSummary[]; nextSkip: number | null }>('products', q)
export const fetchProduct = (id: string) => call<ProductDetail>('product', { id })
export const fetchServerTime = () => call<{ serverTime: number }>('serverTime')
export const fetchCouponCenter = () => call<{ templates: CouponTemplate[] }>('couponCenter')
export const claimCoupon = (templateId: string) => call<{ coupon: MyCoupon }>('claimCoupon', { templateId })
export const fetchMyCoupons = (status?: 'unused' | 'used' | 'expired') =>
  call<{ coupons: MyCoupon[] }>('myCoupons', status ? { status } : {})
export const previewOrder = (input: {
  lines: CheckoutLineInput[]
  couponId?: string
  autoCoupon?: boolean
  pointsToUse?: number
  useBalance?: boolean
}) => call<PreviewResult>('preview', input)
export const placeOrder = (input: PlaceInput) => call<OrderPlaced>('placeOrder', input)
export const fetchMyOrders = (q: { status?: OrderStatus; before?: number } = {}) =>
  call<{ orders: Order[]; nextBefore: number | null }>('myOrders', q)
export const fetchOrder = (id: string) => call<{ order: Order }>('orderDetail', { id })
export const repayOrder = (id: string) => call<{ order: Order; payment: Payment | null }>('repay', { id })
export const cancelOrder = (id: string) => call<{ order: Order }>('cancel', { id })
export const refundOrder = (id: string, reason?: string) =>
  call<{ order: Order }>('refund', reason ? { id, reason } : { id })
export const confirmReceipt = (id: string) => call<{ ok: true }>('confirmReceipt', { id })
export const fetchFlashSales = () => call<{ serverTime: number; sales: FlashSale[] }>('flashSales')
export const flashBuy = (input: {
  saleId: string
  requestId: string
  qty?: number
  fulfilment?: Fulfilment
  storeId?: string
}) => call<OrderPlaced>('flashBuy', input)
export const fetchGroupBuys = () =>
  call<{ serverTime: number; activities: GroupBuy[]; openGroups: OpenGroup[] }>('groupBuys')
export const fetchGroupDetail = (groupId: string) => call<GroupDetail>('groupDetail', { groupId })
export const openGroup = (activityId: string, input: { fulfilment?: Fulfilment; storeId?: string } = {}) =>
  call<OrderPlaced & { groupId: string }>('openGroup', { activityId, ...input })
export const joinGroup = (groupId: string, input: { fulfilment?: Fulfilment; storeId?: string } = {}) =>
  call<OrderPlaced & { groupId: string }>('joinGroup', { groupId, ...input })

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

// ---- 门店（暂无门店接口：与种子数据一致） ----

export const STORES: { _id: string; name: string }[] = [
  { _id: 'store_1', name: '拾光咖啡·静安店' },
  { _id: 'store_2', name: '拾光咖啡·徐汇店' },
  { _id: 'store_3', name: '拾光咖啡·湖滨店' },
]

export function storeName(id: string | null | undefined): string {
  return STORES.find((s) => s._id === id)?.name ?? '--'
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
