import { useEffect, useState } from 'react'

// 本次运行内只取一次、各页面共用的云端数据（门店、等级、品类名称等）：
// load() 取值（上次没取成功时重取），useValue() 在组件里先给缓存、取到后刷新
export function cachedLoader<T>(fetch: () => Promise<{ value: T; keep: boolean }>, empty: T) {
  let cache: T | null = null
  let loading: Promise<T> | null = null
  const load = (): Promise<T> => {
    if (cache !== null) return Promise.resolve(cache)
    loading ??= fetch()
      .then(({ value, keep }) => {
        if (keep) cache = value
        return value
      })
      .finally(() => {
        loading = null
      })
    return loading
  }
  const useValue = (): T => {
    const [value, setValue] = useState<T>(cache ?? empty)
    useEffect(() => {
      let live = true
      void load().then((v) => live && setValue(v))
      return () => {
        live = false
      }
    }, [])
    return value
  }
  return { load, useValue }
}
