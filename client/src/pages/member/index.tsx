import { useCallback, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Switch, Text, View } from '@tarojs/components'
import { Button, Cell, CellGroup } from '@/components/nut'
import ErrorView from '@/components/ErrorView'
import MemberAvatar from '@/components/MemberAvatar'
import { fetchMe, tierHint, tierProgress, type Member } from '@/services/member'
import { getDevOpenid, usesDevIdentity } from '@/services/identity'
import { setMarketing } from '@/services/campaign'
import { usePageTracking } from '@/services/tracker'
import { shanghaiDay, yuan } from '@/utils/format'
import { go, toast } from '@/utils/ui'
import '@/styles/tier.scss'
import './index.scss'

type State =
  | { status: 'loading' }
  | { status: 'ready'; member: Member }
  | { status: 'error'; code: string; message: string }

const PKG = '/package-member/pages'

// 功能入口（宫格）
const ENTRIES = [
  { key: 'checkin', title: '签到', glyph: '签', color: '#fa2c19', url: `${PKG}/checkin/index` },
  { key: 'points', title: '积分明细', glyph: '积', color: '#ff8a00', url: `${PKG}/points/index` },
  { key: 'mall', title: '积分商城', glyph: '兑', color: '#f5457a', url: `${PKG}/mall/index` },
  { key: 'tier', title: '会员等级', glyph: '级', color: '#b8863b', url: `${PKG}/tier/index` },
  { key: 'stored-value', title: '储值', glyph: '储', color: '#1f9e6e', url: `${PKG}/stored-value/index` },
  { key: 'profile', title: '个人资料', glyph: '资', color: '#3d7bf7', url: `${PKG}/profile/index` },
  { key: 'invite', title: '邀请有礼', glyph: '邀', color: '#7a4cf5', url: `${PKG}/invite/index` },
]

// 营销消息开关：服务端 me 暂不返回该字段，本地记住上次的选择（按身份区分）
const OPT_OUT_KEY = 'marketing_opt_out'

function loadOptOut(memberId: string): boolean {
  const saved: unknown = Taro.getStorageSync(OPT_OUT_KEY)
  return typeof saved === 'object' && saved !== null && (saved as Record<string, unknown>)[memberId] === true
}

function saveOptOut(memberId: string, optOut: boolean): void {
  const saved: unknown = Taro.getStorageSync(OPT_OUT_KEY)
  const map = typeof saved === 'object' && saved !== null ? { ...(saved as Record<string, boolean>) } : {}
  map[memberId] = optOut
  Taro.setStorageSync(OPT_OUT_KEY, map)
}

// 会员中心：会员卡（头像、等级、升级进度、积分/储值/成长值、会员码、签到）+ 功能宫格 + 当前权益
export default function MemberPage() {
  const [state, setState] = useState<State>({ status: 'loading' })
  const [optOut, setOptOut] = useState(false)
  const [savingOptOut, setSavingOptOut] = useState(false)
  usePageTracking('pages/member/index')

  const load = useCallback(async () => {
    const res = await fetchMe()
    setState(res.ok ? { status: 'ready', member: res.data.member } : { status: 'error', ...res.error })
    if (res.ok) {
      const server = (res.data.member as Member & { marketingOptOut?: unknown }).marketingOptOut
      setOptOut(typeof server === 'boolean' ? server : loadOptOut(res.data.member._id))
    }
  }, [])

  const toggleMarketing = async (receive: boolean) => {
    if (state.status !== 'ready' || savingOptOut) return
    const next = !receive
    setOptOut(next)
    setSavingOptOut(true)
    const res = await setMarketing(next)
    setSavingOptOut(false)
    if (!res.ok) {
      setOptOut(!next)
      toast(res.error.message)
      return
    }
    saveOptOut(state.member._id, next)
    toast(next ? '已关闭营销消息' : '已开启营销消息')
  }

  useDidShow(() => {
    if (usesDevIdentity && !getDevOpenid()) {
      void Taro.redirectTo({ url: '/pages/dev-login/index' })
      return
    }
    void load()
  })

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (state.status === 'error') {
    return (
      <View className="page">
        <ErrorView code={state.code} message={state.message} onRetry={() => void load()} />
      </View>
    )
  }

  const m = state.status === 'ready' ? state.member : null
  const progress = m ? tierProgress(m) : 0
  return (
    <View className="page member-page">
      <View className={`mc-card tier-theme--${Math.min(m?.tierLevel ?? 0, 3)}`}>
        <View className="mc-card__head">
          <MemberAvatar src={m?.avatar} nickname={m?.nickname} size={104} />
          <View className="mc-card__who">
            <Text className="mc-card__name" id="member-nickname">
              {m ? m.nickname : '加载中…'}
            </Text>
            {m && (
              <View className="mc-card__badges">
                <Text className="tier-badge" id="member-tier">
                  {m.tierName}
                </Text>
                {m.checkedInToday ? (
                  <Text className="mc-card__checked" id="member-checked-in">
                    已签到{m.streak > 0 ? ` · 连续 ${m.streak} 天` : ''}
                  </Text>
                ) : (
                  <View id="member-checkin-entry" className="mc-card__checkin">
                    <Button
                      size="mini"
                      shape="round"
                      fill="solid"
                      color="#ffffff"
                      onClick={() => go(`${PKG}/checkin/index`)}
                    >
                      <Text className="mc-card__checkin-text">签到</Text>
                    </Button>
                  </View>
                )}
              </View>
            )}
          </View>
          <View id="member-code-entry" className="mc-card__code" onClick={() => go(`${PKG}/member-code/index`)}>
            <View className="mc-card__code-icon">
              <View className="mc-card__code-dot" />
              <View className="mc-card__code-dot" />
              <View className="mc-card__code-dot" />
              <View className="mc-card__code-dot" />
            </View>
            <Text className="mc-card__code-text">会员码</Text>
          </View>
        </View>

        <View className="mc-card__progress" onClick={() => go(`${PKG}/tier/index`)}>
          <View className="tier-progress">
            <View className="tier-progress__bar" style={{ width: `${progress}%` }} />
          </View>
          <Text className="mc-card__hint" id="member-tier-hint">
            {m ? tierHint(m) : ' '}
          </Text>
        </View>

        <View className="mc-assets">
          <View className="mc-assets__item" onClick={() => go(`${PKG}/points/index`)}>
            <Text className="mc-assets__value" id="member-points">
              {m ? String(m.points) : '--'}
            </Text>
            <Text className="mc-assets__label">积分</Text>
          </View>
          <View className="mc-assets__item" onClick={() => go(`${PKG}/stored-value/index`)}>
            <Text className="mc-assets__value" id="member-balance">
              {m ? yuan(m.balance) : '--'}
            </Text>
            <Text className="mc-assets__label">储值余额</Text>
          </View>
          <View className="mc-assets__item" onClick={() => go(`${PKG}/tier/index`)}>
            <Text className="mc-assets__value">{m ? String(m.growth) : '--'}</Text>
            <Text className="mc-assets__label">成长值</Text>
          </View>
        </View>

        {m && m.expiring.amount > 0 && (
          <Text className="mc-card__expiring">
            {m.expiring.amount} 积分将于 {shanghaiDay(m.expiring.at)} 过期
          </Text>
        )}
      </View>

      <View className="mc-grid">
        {ENTRIES.map((it) => (
          <View key={it.key} id={`entry-${it.key}`} className="mc-grid__item" onClick={() => go(it.url)}>
            <View className="mc-grid__icon" style={{ background: it.color }}>
              <Text>{it.glyph}</Text>
            </View>
            <Text className="mc-grid__title">{it.title}</Text>
            {it.key === 'checkin' && m && !m.checkedInToday && <View className="mc-grid__dot" />}
          </View>
        ))}
      </View>

      {m && (
        <View className="mc-benefits">
          <CellGroup title={`${m.tierName}权益`}>
            {m.benefits.map((b) => (
              <Cell key={b} title={b} />
            ))}
            <View onClick={() => go(`${PKG}/tier/index`)}>
              <Cell title="查看全部等级权益" extra="›" clickable />
            </View>
          </CellGroup>
        </View>
      )}

      {m && (
        <View className="mc-benefits mc-settings">
          <CellGroup title="消息设置">
            <Cell
              title="营销消息"
              description="会员日、专属优惠与活动提醒"
              extra={
                <Switch
                  id="marketing-switch"
                  checked={!optOut}
                  disabled={savingOptOut}
                  color="#fa2c19"
                  onChange={(e) => void toggleMarketing(e.detail.value)}
                />
              }
            />
          </CellGroup>
        </View>
      )}

      {m && !m.phoneBound && (
        <View className="mc-bind" id="member-bind-phone" onClick={() => go(`${PKG}/profile/index`)}>
          <Text className="mc-bind__text">绑定手机号，同步门店消费积分与储值</Text>
          <Text className="mc-bind__go">去绑定 ›</Text>
        </View>
      )}
    </View>
  )
}
