import { useCallback, useEffect, useRef, useState } from 'react'
import { fetchMe } from '@/services/member'
import { useStores, type StoreInfo } from '@/services/shop'

// 自提门店：会员所属门店，没有时为品牌的第一家门店；可手动切换。第三项为门店列表（显示店名）
export function useMemberStore(): [string, (storeId: string) => void, StoreInfo[]] {
  const stores = useStores()
  const [chosen, setChosen] = useState('')
  useEffect(() => {
    void fetchMe().then(
      (res) => res.ok && res.data.member.storeId && setChosen((c) => c || res.data.member.storeId || ''),
    )
  }, [])
  return [chosen || stores[0]?._id || '', setChosen, stores]
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
