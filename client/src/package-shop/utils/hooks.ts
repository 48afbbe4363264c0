import { useCallback, useEffect, useRef, useState } from 'react'
import { fetchMe } from '@/services/member'

// 自提门店：默认 store_1，进入页面后换成会员所属门店；可手动切换
export function useMemberStore(): [string, (storeId: string) => void] {
  const [storeId, setStoreId] = useState('store_1')
  useEffect(() => {
    void fetchMe().then((res) => res.ok && res.data.member.storeId && setStoreId(res.data.member.storeId))
  }, [])
  return [storeId, setStoreId]
}

// 同一时间只做一个操作：busy 为进行中的操作（活动 id / 操作类型），已有操作时再点直接忽略
export function useBusyLock<K extends string = string>() {
  const [busy, setBusy] = useState<K | null>(null)
  const busyRef = useRef(false)
  const run = useCallback(async (key: K, fn: () => Promise<void>) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(key)
    try {
      await fn()
    } finally {
      busyRef.current = false
      setBusy(null)
    }
  }, [])
  return { busy, run }
}
