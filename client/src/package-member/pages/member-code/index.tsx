import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import ErrorView from '@/components/ErrorView'
import MemberAvatar from '@/components/MemberAvatar'
import { fetchMe, fetchMemberCode, type Member, type MemberCode } from '@/services/member'
import { yuan } from '@/utils/format'
import './index.scss'

// 会员码：动态二维码（到期前自动刷新，点击立即刷新）+ 倒计时；到店出示用于积分/储值/核销
export default function MemberCodePage() {
  const [code, setCode] = useState<MemberCode | null>(null)
  const [member, setMember] = useState<Member | null>(null)
  const [left, setLeft] = useState(0)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [refreshing, setRefreshing] = useState(false)
  const deadline = useRef(0)
  const timer = useRef<ReturnType<typeof setInterval> | null>(null)
  const loading = useRef(false)
  const visible = useRef(false)

  const refresh = useCallback(async () => {
    if (loading.current) return
    loading.current = true
    setRefreshing(true)
    const res = await fetchMemberCode()
    loading.current = false
    setRefreshing(false)
    if (!res.ok) {
      setError(res.error)
      deadline.current = Date.now() + 10_000 // 失败后 10 秒再试
      return
    }
    setError(null)
    setCode(res.data)
    // 按 refreshInSeconds 刷新，且不晚于过期时间
    const byRefresh = Date.now() + Math.max(5, res.data.refreshInSeconds) * 1000
    deadline.current = Math.min(byRefresh, res.data.expiresAt || byRefresh)
    setLeft(Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000)))
  }, [])

  const stopTimer = () => {
    if (timer.current) clearInterval(timer.current)
    timer.current = null
  }

  const startTimer = useCallback(() => {
    stopTimer()
    timer.current = setInterval(() => {
      const s = Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000))
      setLeft(s)
      if (s === 0 && visible.current) void refresh()
    }, 1000)
  }, [refresh])

  useDidShow(() => {
    visible.current = true
    void refresh()
    void fetchMe().then((res) => res.ok && setMember(res.data.member))
    startTimer()
    if (process.env.TARO_ENV === 'weapp') void Taro.setKeepScreenOn({ keepScreenOn: true }).catch(() => undefined)
  })

  useDidHide(() => {
    visible.current = false
    stopTimer()
  })

  useEffect(() => () => stopTimer(), [])

  return (
    <View className="page code-page">
      <View className="cd-card">
        <View className="cd-card__head">
          <MemberAvatar src={member?.avatar} nickname={member?.nickname} size={80} />
          <View className="cd-card__who">
            <Text className="cd-card__name">{member?.nickname ?? ''}</Text>
            <Text className="cd-card__tier">{member?.tierName ?? ''}</Text>
          </View>
        </View>

        {error && !code ? (
          <ErrorView idPrefix="member-code" code={error.code} message={error.message} onRetry={() => void refresh()} />
        ) : (
          <View className="cd-qr" id="member-code-qr" onClick={() => void refresh()}>
            {code ? (
              <Image id="member-code-img" className="cd-qr__img" src={code.qr} mode="aspectFit" />
            ) : (
              <View className="cd-qr__placeholder">加载中…</View>
            )}
            {refreshing && code && <View className="cd-qr__mask">刷新中…</View>}
          </View>
        )}

        <Text className="cd-countdown" id="member-code-countdown">
          {code ? `${left} 秒后自动刷新 · 点击二维码刷新` : ' '}
        </Text>
        <Text className="cd-warn">仅限本人使用，请勿截图转发</Text>

        <View className="cd-assets">
          <View className="cd-assets__item">
            <Text className="cd-assets__value">{member ? member.points : '--'}</Text>
            <Text className="cd-assets__label">积分</Text>
          </View>
          <View className="cd-assets__item">
            <Text className="cd-assets__value">{member ? yuan(member.balance) : '--'}</Text>
            <Text className="cd-assets__label">储值余额</Text>
          </View>
        </View>
      </View>
      <Text className="cd-tip">到店结账时出示会员码，可累积积分、使用储值余额与会员权益</Text>
    </View>
  )
}
