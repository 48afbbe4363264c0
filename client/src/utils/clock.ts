import { useCallback, useEffect, useRef, useState } from 'react'

// 服务端时钟：加载时记下 offset = serverTime − Date.now()，之后每秒用本机时钟 + offset 推算服务端时间，
// 倒计时与“是否开抢”都以它为准（不信任手机时间）
export function useServerClock(running = true): { now: number; sync: (serverTime: number) => void; synced: boolean } {
  const offsetRef = useRef<number | null>(null)
  const [now, setNow] = useState(() => Date.now())

  const sync = useCallback((serverTime: number) => {
    offsetRef.current = serverTime - Date.now()
    setNow(serverTime)
  }, [])

  useEffect(() => {
    if (!running) return undefined
    const timer = setInterval(() => setNow(Date.now() + (offsetRef.current ?? 0)), 1000)
    return () => clearInterval(timer)
  }, [running])

  return { now, sync, synced: offsetRef.current !== null }
}
