import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Cell, CellGroup, Tag } from '@/components/nut'
import ErrorView from '@/components/ErrorView'
import { fetchMe, tierHint, tierProgress, type Member } from '@/services/member'
import { getDevOpenid, usesDevIdentity } from '@/services/identity'
import { usePageTracking } from '@/services/tracker'
import { yuan } from '@/utils/format'
import { go } from '@/utils/ui'
import ShopSection from './ShopSection'
import './index.scss'

type State =
  | { status: 'loading' }
  | { status: 'ready'; member: Member }
  | { status: 'error'; code: string; message: string }

const PKG = '/package-member/pages'

// 首页：会员卡（昵称、等级、积分、升级进度）+ 每日签到入口 + 常用入口 + 商城（秒杀、拼团、领券、分类商品）
export default function HomePage() {
  const [state, setState] = useState<State>({ status: 'loading' })
  usePageTracking('pages/index/index')

  const load = () =>
    fetchMe().then((res) => {
      setState(res.ok ? { status: 'ready', member: res.data.member } : { status: 'error', ...res.error })
    })

  useDidShow(() => {
    if (usesDevIdentity && !getDevOpenid()) {
      void Taro.redirectTo({ url: '/pages/dev-login/index' })
      return
    }
    void load()
  })

  if (state.status === 'error') {
    return (
      <View className="page">
        <ErrorView idPrefix="me" code={state.code} message={state.message} onRetry={() => void load()} />
      </View>
    )
  }

  const member = state.status === 'ready' ? state.member : null
  return (
    <View className="page">
      <View className="home-card" onClick={() => void Taro.switchTab({ url: '/pages/member/index' })}>
        <View className="home-card__head">
          <Text className="home-card__name" id="me-nickname">
            {member ? member.nickname : ''}
          </Text>
          {member && (
            <Tag className="home-card__tier" type="warning">
              <Text id="home-tier">{member.tierName}</Text>
            </Tag>
          )}
        </View>
        <View className="home-card__points">
          <Text id="me-points">{member ? String(member.points) : '--'}</Text>
        </View>
        <Text className="home-card__label">{member ? '可用积分' : '加载中…'}</Text>
        {member && (
          <View className="home-card__tier-progress">
            <View className="home-card__bar">
              <View className="home-card__bar-fill" style={{ width: `${tierProgress(member)}%` }} />
            </View>
            <Text className="home-card__hint" id="home-tier-hint">
              {tierHint(member)}
            </Text>
          </View>
        )}
      </View>

      <View id="home-checkin" className="home-checkin" onClick={() => go(`${PKG}/checkin/index`)}>
        <View className="home-checkin__icon">签</View>
        <View className="home-checkin__body">
          <Text className="home-checkin__title">每日签到</Text>
          <Text className="home-checkin__desc">
            {member?.checkedInToday
              ? `今日已签到${member.streak > 0 ? `，已连续 ${member.streak} 天` : ''}`
              : '连续签到领额外积分奖励'}
          </Text>
        </View>
        <View className={`home-checkin__btn${member?.checkedInToday ? ' home-checkin__btn--done' : ''}`}>
          {member?.checkedInToday ? '已签到' : '去签到'}
        </View>
      </View>

      <View className="home-entries">
        <View className="home-entry" id="home-entry-mall" onClick={() => go(`${PKG}/mall/index`)}>
          <Text className="home-entry__title">积分商城</Text>
          <Text className="home-entry__desc">好礼兑不停</Text>
        </View>
        <View className="home-entry" id="home-entry-code" onClick={() => go(`${PKG}/member-code/index`)}>
          <Text className="home-entry__title">会员码</Text>
          <Text className="home-entry__desc">到店出示享权益</Text>
        </View>
        <View className="home-entry" id="home-entry-sv" onClick={() => go(`${PKG}/stored-value/index`)}>
          <Text className="home-entry__title">储值有礼</Text>
          <Text className="home-entry__desc">充值享赠送</Text>
        </View>
      </View>

      <CellGroup title="会员权益">
        <Cell title="当前等级" extra={member ? member.tierName : '--'} />
        <Cell title="成长值" extra={member ? String(member.growth) : '--'} />
        <Cell title="储值余额" extra={member ? yuan(member.balance) : '--'} />
      </CellGroup>

      {member && <ShopSection />}
    </View>
  )
}
