import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Cell, CellGroup, Empty, Tag } from '@/components/nut'
import type { Member } from '@/services/member'
import { fetchMe } from '@/services/member'
import { getDevOpenid, usesDevIdentity } from '@/services/identity'
import './index.scss'

type State =
  | { status: 'loading' }
  | { status: 'ready'; member: Member }
  | { status: 'error'; code: string; message: string }

// 首页：展示当前会员的昵称、积分与等级
export default function HomePage() {
  const [state, setState] = useState<State>({ status: 'loading' })

  useDidShow(() => {
    if (usesDevIdentity && !getDevOpenid()) {
      void Taro.redirectTo({ url: '/pages/dev-login/index' })
      return
    }
    void fetchMe().then((res) => {
      setState(res.ok ? { status: 'ready', member: res.data.member } : { status: 'error', ...res.error })
    })
  })

  if (state.status === 'error') {
    return (
      <View className="page">
        <Empty
          className="home-error"
          status="error"
          imageSize={100}
          image={<View className="home-error__badge">!</View>}
          title={<Text id="me-error">{state.message}</Text>}
          description={<Text id="me-error-code">错误码：{state.code}</Text>}
        />
      </View>
    )
  }

  const member = state.status === 'ready' ? state.member : null
  return (
    <View className="page">
      <View className="home-card">
        <View className="home-card__head">
          <Text className="home-card__name" id="me-nickname">
            {member ? member.nickname : ''}
          </Text>
          {member && (
            <Tag className="home-card__tier" type="warning">
              {member.tierName}
            </Tag>
          )}
        </View>
        <View className="home-card__points">
          <Text id="me-points">{member ? String(member.points) : '--'}</Text>
        </View>
        <Text className="home-card__label">{member ? '可用积分' : '加载中…'}</Text>
      </View>
      <CellGroup title="会员权益">
        <Cell title="成长值" extra={member ? String(member.growth) : '--'} />
        <Cell title="积分商城" extra="即将上线" />
      </CellGroup>
    </View>
  )
}
