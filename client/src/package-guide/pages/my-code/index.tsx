import { useCallback, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { LoadError } from '@/utils/cloudData'
import { fetchMyCode, fetchProfile, type GuideProfile } from '../../services/guide'
import '../../components/guide.scss'
import './index.scss'

// 我的导购码：新顾客微信扫码进入小程序即入会，并绑定为我的顾客（归属本门店）
export default function GuideMyCodePage() {
  const [qr, setQr] = useState<string | null>(null)
  const [profile, setProfile] = useState<GuideProfile | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)

  const load = useCallback(async () => {
    const [code, me] = await Promise.all([fetchMyCode(), fetchProfile()])
    if (!code.ok) {
      setError(code.error)
      return
    }
    setError(null)
    setQr(code.data.qr)
    if (me.ok) setProfile(me.data)
  }, [])

  useDidShow(() => {
    void load()
  })

  if (error && !qr) return <LoadError idPrefix="guide-code" error={error} onRetry={load} />

  return (
    <View className="page gm-page">
      <View className="gm-card">
        <Text className="gm-card__name">{profile ? profile.name : ' '}</Text>
        <Text className="gd-muted">{profile ? profile.storeName : ' '}</Text>
        <View className="gm-card__qr">
          {qr ? (
            <Image id="guide-code-img" className="gm-card__img" src={qr} mode="aspectFit" showMenuByLongpress />
          ) : (
            <Text className="gd-muted">加载中…</Text>
          )}
        </View>
        <Text className="gm-card__tip">顾客微信扫码入会，自动成为你的专属顾客</Text>
      </View>
    </View>
  )
}
