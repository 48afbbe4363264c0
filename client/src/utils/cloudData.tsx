import { useCallback, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import ErrorView from '@/components/ErrorView'
import type { Envelope } from '@/services/cloud'

export type CloudError = { code: string; message: string }

// 页面数据：每次显示（进入 / 返回本页）时拉取；失败时记下错误，保留上次成功的数据；
// onData 在每次成功后调用（同步服务端时钟、埋点等）
export function useCloudData<T>(fetch: () => Promise<Envelope<T>>, onData?: (data: T) => void) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<CloudError | null>(null)
  const latest = useRef({ fetch, onData })
  latest.current = { fetch, onData }

  const load = useCallback(async () => {
    const res = await latest.current.fetch()
    if (!res.ok) {
      setError(res.error)
      return
    }
    setError(null)
    setData(res.data)
    latest.current.onData?.(res.data)
  }, [])

  useDidShow(() => {
    void load()
  })

  return { data, error, load }
}

// 尚无数据时加载失败：整页错误 + 重试（id 为 <idPrefix>-error / <idPrefix>-error-code）
export function LoadError(props: { idPrefix: string; error: CloudError; onRetry: () => unknown }) {
  const { idPrefix, error, onRetry } = props
  return (
    <View className="page">
      <ErrorView idPrefix={idPrefix} code={error.code} message={error.message} onRetry={() => void onRetry()} />
    </View>
  )
}
