import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { isRemoteImage } from '@/services/member'
import './MemberAvatar.scss'

// 会员头像：有可用图片时展示图片，否则展示昵称首字；size 按 750 设计稿
export default function MemberAvatar({ src, nickname, size = 96 }: { src?: string; nickname?: string; size?: number }) {
  const [broken, setBroken] = useState(false)
  const side = Taro.pxTransform(size)
  const style = { width: side, height: side }
  if (isRemoteImage(src) && !broken) {
    return <Image className="member-avatar" style={style} src={src} mode="aspectFill" onError={() => setBroken(true)} />
  }
  return (
    <View className="member-avatar member-avatar--text" style={{ ...style, lineHeight: side }}>
      <Text>{(nickname ?? '').trim().slice(0, 1) || '会'}</Text>
    </View>
  )
}
