import Taro from '@tarojs/taro'
import { CLOUD_BASE } from './cloud'
import { fetchTemplates, reportSubscribed, type SubscribeResult, type TemplateKey } from './campaign'
import { getDevOpenid } from './identity'
import { isStaffNow } from './staff'
import { confirm } from '@/utils/ui'

// 订阅消息：在自然时机（支付成功、签到成功、领券成功）请求订阅，并把结果上报 campaign.subscribed。
// weapp：Taro.requestSubscribeMessage 只能在点击/支付回调链路里调用，所以模板 id 在启动时预取（preloadTemplates），
// 调用时尽量不再等网络。h5 没有该接口：弹一个小确认框，确定后向本地云沙箱（微信侧）登记订阅，再上报 accept。

let templates: Partial<Record<TemplateKey, string>> | null = null
let loading: Promise<Partial<Record<TemplateKey, string>> | null> | null = null

// 预取模板 id（失败不缓存，下次再取）
export function preloadTemplates(): Promise<Partial<Record<TemplateKey, string>> | null> {
  if (templates) return Promise.resolve(templates)
  if (loading) return loading
  const req = fetchTemplates()
    .then((res) => {
      if (res.ok) templates = res.data.templates
      return templates
    })
    .finally(() => {
      loading = null
    })
  loading = req
  return req
}

const RESULTS: SubscribeResult[] = ['accept', 'reject', 'ban', 'filter']

async function sandboxSubscribe(openid: string, templateId: string): Promise<boolean> {
  try {
    const res = await Taro.request<{ ok?: boolean }>({
      url: `${CLOUD_BASE}/__sandbox/subscribe`,
      method: 'POST',
      data: { openid, templateId },
      header: { 'Content-Type': 'application/json' },
      dataType: 'json',
    })
    return res.statusCode === 200 && Boolean(res.data?.ok)
  } catch {
    return false
  }
}

// 请求订阅 keys 对应的模板（一次最多 3 个）；任何失败都静默（订阅是锦上添花，不打断主流程）
export async function askSubscribe(keys: TemplateKey[]): Promise<void> {
  if (isStaffNow()) return
  const tmpls = templates ?? (await preloadTemplates())
  if (!tmpls) return
  const ids = [
    ...new Set(keys.map((k) => tmpls[k]).filter((id): id is string => typeof id === 'string' && id !== '')),
  ].slice(0, 3)
  if (ids.length === 0) return

  const results: Record<string, SubscribeResult> = {}
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const res = (await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] })) as unknown as Record<
        string,
        unknown
      >
      for (const id of ids) {
        const r = res[id]
        if (typeof r === 'string' && (RESULTS as string[]).includes(r)) results[id] = r as SubscribeResult
      }
    } catch {
      return // 用户未点击触发、模板失效、被关闭等：不打扰
    }
  } else {
    const openid = getDevOpenid()
    if (!openid) return
    const ok = await confirm(
      '订阅活动提醒？',
      '开启后，订单、签到、优惠券与会员活动的重要提醒将通过服务通知发送给你',
      '确定',
    )
    if (!ok) return
    for (const id of ids) {
      if (await sandboxSubscribe(openid, id)) results[id] = 'accept'
    }
  }
  if (Object.keys(results).length > 0) await reportSubscribed(results)
}
