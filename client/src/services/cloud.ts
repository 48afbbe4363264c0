import Taro from '@tarojs/taro'
import { ERROR_TEXT } from '@cloud/domain/error-codes'
import type { Envelope } from '@cloud/lib/errors'
import type { ActionInput, ActionName, ActionOutput, CloudApi } from '@cloud/functions/api'
import { getDevOpenid } from './identity'

export type { ActionName }

// 云函数统一响应信封（与云端同一声明）：成功带 data，失败带错误码目录里的稳定错误码与中文提示
export type { Envelope }

// h5 下本地云的地址前缀：同源托管，留空
export const CLOUD_BASE = ''

const NETWORK_ERROR = { ok: false, error: { code: 'NETWORK_ERROR', message: ERROR_TEXT.NETWORK_ERROR } } as const

function isEnvelope<T>(value: unknown): value is Envelope<T> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean'
}

// 调用云函数：weapp 走 Taro.cloud.callFunction，h5 走本地云 HTTP（POST /fn/<name>）
export async function callCloud<T>(name: string, event: object): Promise<Envelope<T>> {
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const res = await Taro.cloud.callFunction({ name, data: event as TaroGeneral.IAnyObject })
      return isEnvelope<T>(res.result) ? res.result : NETWORK_ERROR
    }
    const res = await Taro.request<unknown>({
      url: `${CLOUD_BASE}/fn/${name}`,
      method: 'POST',
      data: event,
      header: { 'Content-Type': 'application/json', 'X-WX-OPENID': getDevOpenid() ?? '' },
      dataType: 'json',
    })
    return isEnvelope<T>(res.data) ? res.data : NETWORK_ERROR
  } catch {
    return NETWORK_ERROR
  }
}

/** An action's result type, as the cloud declares it (cloudfunctions/src/functions/api.ts). */
export type Out<F extends keyof CloudApi, A extends ActionName<F>> = ActionOutput<F, A>
/** An action's input type: its JSON schema, with the fields the server defaults left optional. */
export type In<F extends keyof CloudApi, A extends ActionName<F>> = ActionInput<F, A>

// 无必填字段的操作可省略入参
export type InputArgs<F extends keyof CloudApi, A extends ActionName<F>> =
  Record<string, never> extends In<F, A> ? [input?: In<F, A>] : [input: In<F, A>]

// 按云端契约调用：函数名与操作名受检，入参与返回值的类型都来自云端声明
export function callAction<F extends keyof CloudApi, A extends ActionName<F>>(
  fn: F,
  action: A,
  ...[input]: InputArgs<F, A>
): Promise<Envelope<Out<F, A>>> {
  return callCloud<Out<F, A>>(fn, { action, ...(input ?? {}) })
}

// 绑定一个云函数的调用器：caller('shop')('order', {...})，操作名与入参同样受检
export const caller =
  <F extends keyof CloudApi>(fn: F) =>
  <A extends ActionName<F>>(action: A, ...input: InputArgs<F, A>): Promise<Envelope<Out<F, A>>> =>
    callAction(fn, action, ...input)
