import { caller, type ActionName, type In, type Out } from '@/services/cloud'

// ---- guide 云函数（导购工作台） ----

// 类型由 guide 云函数的声明推导（functions/api.ts），客户端不另写一份
type GuideOut<A extends ActionName<'guide'>> = Out<'guide', A>

export type GuideProfile = GuideOut<'profile'>
export type ScanResult = GuideOut<'scanMember'>
export type ScannedMember = ScanResult['member']
export type CustomersPage = GuideOut<'customers'>
export type CustomerRow = CustomersPage['customers'][number]
export type TagView = CustomerRow['tags'][number]
export type CustomerPage = GuideOut<'customer'>
export type CustomerDetail = CustomerPage['customer']
export type CustomerOrder = CustomerPage['orders'][number]
export type CustomerNote = CustomerPage['notes'][number]
export type CustomersQuery = In<'guide', 'customers'>

const call = caller('guide')

export const fetchProfile = () => call('profile')
export const fetchMyCode = () => call('myCode')
export const scanMember = (code: string) => call('scanMember', { code })
// 小票号在本门店唯一：同一小票重试只记一次；会员码记录消费后即失效
export const recordPurchase = (input: { code: string; amount: number; categoryId: string; receiptNo: string }) =>
  call('recordPurchase', input)
export const fetchCustomers = (q: CustomersQuery) => call('customers', q)
export const fetchCustomer = (memberId: string) => call('customer', { memberId })
export const tagCustomer = (memberId: string, tag: string) => call('tagCustomer', { memberId, tag })
export const untagCustomer = (memberId: string, tag: string) => call('untagCustomer', { memberId, tag })
export const noteCustomer = (memberId: string, text: string) => call('noteCustomer', { memberId, text })

export const GUIDE = '/package-guide/pages'
