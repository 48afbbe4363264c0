import { callCloud, type Envelope } from '@/services/cloud'

// ---- guide 云函数（导购工作台） ----

export interface GuideProfile {
  name: string
  storeId: string
  storeName: string
}

export interface ScannedMember {
  _id: string
  nickname: string
  tierName: string
  points: number
  lastOrderAt?: number | null
  orderCount?: number
  tags?: string[]
  rfmLayer?: string | null
}

export interface ScanResult {
  member: ScannedMember
  bound: boolean
  boundToMe: boolean
  visitRecorded: boolean
}

export interface TagView {
  tag: string
  label: string
}

export interface CustomerRow {
  _id: string
  nickname: string
  avatar: string
  tierName: string
  rfmLayer: string | null
  stage: string | null
  lastOrderAt: number | null
  orderCount: number
  paidTotal: number
  mine: boolean
  tags: TagView[]
  phoneTail: string | null
}

export interface CustomerDetail {
  _id: string
  nickname: string
  avatar: string
  gender?: string
  birthday?: string | null
  city?: string
  tierName: string
  points: number
  rfm: { r: number; f: number; m: number; layer: string } | null
  stage: string | null
  stats: { orderCount: number; paidTotal: number; lastOrderAt: number | null; categoryIds: string[] }
  tags: TagView[]
  manualTags: { tag: string; by: string; at: number }[]
  guideId: string | null
}

export interface CustomerOrder {
  _id: string
  status: string
  payAmount?: number
  total?: number
  createdAt: number
  lines?: { name: string; qty: number }[]
}

export interface CustomerNote {
  _id?: string
  text: string
  byName: string
  at: number
}

function call<T>(action: string, input: object = {}): Promise<Envelope<T>> {
  return callCloud<T>('guide', { action, ...input })
}

export const fetchProfile = () => call<GuideProfile>('profile')
export const fetchMyCode = () => call<{ scene: string; qr: string }>('myCode')
export const scanMember = (code: string) => call<ScanResult>('scanMember', { code })
// 小票号在本门店唯一：同一小票重试只记一次；会员码记录消费后即失效
export const recordPurchase = (input: { code: string; amount: number; categoryId: string; receiptNo: string }) =>
  call<{ orderId: string; earned: { points: number; growth: number } | null; replayed?: boolean }>(
    'recordPurchase',
    input,
  )
export const fetchCustomers = (q: { layer?: string; tag?: string; mine?: boolean; skip?: number }) =>
  call<{ total: number; customers: CustomerRow[]; nextSkip: number | null }>('customers', q)
export const fetchCustomer = (memberId: string) =>
  call<{ customer: CustomerDetail; orders: CustomerOrder[]; notes: CustomerNote[] }>('customer', { memberId })
export const tagCustomer = (memberId: string, tag: string) =>
  call<{ manualTags: CustomerDetail['manualTags'] }>('tagCustomer', { memberId, tag })
export const untagCustomer = (memberId: string, tag: string) =>
  call<{ manualTags: CustomerDetail['manualTags'] }>('untagCustomer', { memberId, tag })
export const noteCustomer = (memberId: string, text: string) =>
  call<{ _id: string }>('noteCustomer', { memberId, text })

export const GUIDE = '/package-guide/pages'
