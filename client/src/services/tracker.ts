import Taro, { useDidHide, useDidShow, useUnload } from '@tarojs/taro'
import { useRef } from 'react'
import { callCloud } from './cloud'
import { getDevOpenid, usesDevIdentity } from './identity'
import { isStaffNow } from './staff'
import type { ClientEventType } from '@cloud/domain/events'

// 行为埋点：track() 入队，每 10 秒、满 20 条或小程序切后台时批量上报 crm.track（每次最多 50 条）。
// 网络异常时整批放回队首、以相同 id 重试（服务端按 id 去重）；被限流（RATE_LIMITED）或其他错误则丢弃该批。
// 员工身份（导购 / 运营）不埋点。

// 埋点类型只在领域模块声明一次
export type TrackType = ClientEventType

export interface TrackProps {
  page?: string
  productId?: string
  categoryId?: string
  dwellMs?: number
  keyword?: string
}

export interface TrackEvent extends TrackProps {
  id: string
  type: TrackType
  ts: number
}

const FLUSH_MS = 10_000
const FLUSH_AT = 20
const MAX_BATCH = 50
const MAX_QUEUE = 500
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

let queue: TrackEvent[] = []
let sending = false
let timer: ReturnType<typeof setInterval> | null = null
let hideHooked = false

// 16 位随机 id（[A-Za-z0-9_-]）
export function eventId(): string {
  let s = ''
  for (let i = 0; i < 16; i++) s += ID_CHARS[Math.floor(Math.random() * ID_CHARS.length)]
  return s
}

function clip(v: string | undefined, max: number): string | undefined {
  return v === undefined || v === '' ? undefined : v.slice(0, max)
}

const ID_RE = /^[A-Za-z0-9_-]{1,40}$/

// 记录一条行为
export function track(type: TrackType, props: TrackProps = {}): void {
  // 员工不埋点；h5 未选择演示身份时没有可归属的会员
  if (isStaffNow() || (usesDevIdentity && !getDevOpenid())) return
  const e: TrackEvent = { id: eventId(), type, ts: Date.now() }
  const page = clip(props.page, 100)
  if (page) e.page = page
  if (props.productId && ID_RE.test(props.productId)) e.productId = props.productId
  if (props.categoryId && ID_RE.test(props.categoryId)) e.categoryId = props.categoryId
  if (typeof props.dwellMs === 'number' && props.dwellMs >= 0)
    e.dwellMs = Math.min(3_600_000, Math.round(props.dwellMs))
  const keyword = clip(props.keyword?.trim(), 30)
  if (keyword) e.keyword = keyword
  queue.push(e)
  if (queue.length > MAX_QUEUE) queue = queue.slice(queue.length - MAX_QUEUE)
  start()
  if (queue.length >= FLUSH_AT) void flush()
}

function start(): void {
  if (!timer) timer = setInterval(() => void flush(), FLUSH_MS)
  if (!hideHooked) {
    hideHooked = true
    try {
      Taro.onAppHide(() => void flush())
    } catch {
      // 个别端没有 onAppHide：仍有定时上报
    }
  }
}

// 立即上报队列（同一时刻只有一批在途）
export async function flush(): Promise<void> {
  if (sending || queue.length === 0) return
  sending = true
  try {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH)
      queue = queue.slice(batch.length)
      const res = await callCloud<{ accepted: number }>('crm', { action: 'track', events: batch })
      if (!res.ok && res.error.code === 'NETWORK_ERROR') {
        // 放回队首，下次以相同 id 重试
        queue = [...batch, ...queue].slice(0, MAX_QUEUE)
        break
      }
      if (queue.length < FLUSH_AT) break
    }
  } finally {
    sending = false
  }
}

// 测试与调试：当前队列
export function pendingEvents(): readonly TrackEvent[] {
  return queue
}

// 页面浏览与停留时长：页面显示时计时，隐藏/卸载时记一条 page_view（带 dwellMs）
export function usePageTracking(page: string): void {
  const shownAt = useRef(0)
  const end = () => {
    if (!shownAt.current) return
    const dwellMs = Date.now() - shownAt.current
    shownAt.current = 0
    track('page_view', { page, dwellMs })
  }
  useDidShow(() => {
    shownAt.current = Date.now()
  })
  useDidHide(end)
  useUnload(end)
}
