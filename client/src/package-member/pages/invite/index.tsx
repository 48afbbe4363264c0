import { useCallback, useState } from 'react'
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError } from '@/utils/cloudData'
import {
  fetchInviteCard,
  fetchLeaderboard,
  fetchMyInvites,
  inviteStatusText,
  qualifyText,
  type InviteCard,
  type Invite,
  type Leader,
} from '@/services/campaign'
import { track } from '@/services/tracker'
import { shanghaiDay } from '@/utils/format'
import { toast } from '@/utils/ui'
import './index.scss'

type Tab = 'mine' | 'board'

// 邀请有礼：邀请卡（小程序码 + 奖励规则）、分享给好友、我的邀请、邀请排行榜
export default function InvitePage() {
  const [card, setCard] = useState<InviteCard | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [invites, setInvites] = useState<{ invites: Invite[]; total: number } | null>(null)
  const [leaders, setLeaders] = useState<Leader[] | null>(null)
  const [tab, setTab] = useState<Tab>('mine')

  const load = useCallback(async () => {
    const [c, mine, board] = await Promise.all([fetchInviteCard(), fetchMyInvites(), fetchLeaderboard()])
    if (!c.ok) {
      setError(c.error)
      return
    }
    setError(null)
    setCard(c.data)
    if (mine.ok) setInvites(mine.data)
    if (board.ok) setLeaders(board.data.leaders)
  }, [])

  useDidShow(() => {
    void load()
  })

  useShareAppMessage(() => {
    track('share', { page: 'package-member/pages/invite/index' })
    return {
      title: card
        ? `${card.nickname} 邀你加入会员，${qualifyText(card.rules)}即得 ${card.rules.inviteePointsOnJoin} 积分`
        : '邀你加入会员，入会得积分',
      path: `/${card?.path ?? 'pages/index/index'}`,
    }
  })

  const copyPath = () => {
    if (!card) return
    void Taro.setClipboardData({ data: `/${card.path}` }).then(() => toast('已复制邀请路径'))
  }

  if (error && !card) return <LoadError idPrefix="invite" error={error} onRetry={load} />

  const rules = card?.rules
  return (
    <View className="page iv-page">
      <View className="iv-hero">
        <Text className="iv-hero__title">邀好友入会 · 双方得积分</Text>
        <Text className="iv-hero__sub">
          {rules
            ? `好友入会并${qualifyText(rules)}后，你得 ${rules.inviterPointsOnJoin} 积分，好友得 ${rules.inviteePointsOnJoin} 积分`
            : ' '}
        </Text>
      </View>

      <View className="iv-card" id="invite-card">
        <Text className="iv-card__who">{card ? `${card.nickname} 的专属邀请码` : '加载中…'}</Text>
        <View className="iv-card__qr">
          {card ? (
            <Image id="invite-qr" className="iv-card__img" src={card.qr} mode="aspectFit" showMenuByLongpress />
          ) : (
            <View className="iv-card__placeholder">加载中…</View>
          )}
        </View>
        <Text className="iv-card__tip">好友微信扫码进入小程序即可入会</Text>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className="iv-card__btn" type="primary" shape="round" block openType="share">
            分享给好友
          </Button>
        ) : (
          <View className="iv-card__path" onClick={copyPath}>
            <Text className="iv-card__path-label">邀请路径</Text>
            <Text id="invite-path" className="iv-card__path-value">
              {card ? `/${card.path}` : ''}
            </Text>
          </View>
        )}
      </View>

      {rules && (
        <View className="iv-rules" id="invite-rules">
          <Text className="iv-rules__title">活动规则</Text>
          <Text className="iv-rules__item">
            1. 好友通过你的邀请首次注册成为会员，并{qualifyText(rules)}后，你得 {rules.inviterPointsOnJoin} 积分，好友得{' '}
            {rules.inviteePointsOnJoin} 积分
          </Text>
          <Text className="iv-rules__item">
            2. 好友完成首笔订单后，你再得 {rules.inviterPointsOnFirstOrder} 积分；订单退款将扣回该奖励
          </Text>
          <Text className="iv-rules__item">
            3. 每人每天最多获得 {rules.dailyCapPerInviter} 位好友的注册奖励，超出部分仍计入邀请记录
          </Text>
          <Text className="iv-rules__item">4. 已是会员的好友、被邀请人反向邀请均不计奖励</Text>
        </View>
      )}

      <View className="iv-list">
        <View className="iv-tabs">
          <View
            className={`iv-tab${tab === 'mine' ? ' iv-tab--on' : ''}`}
            id="invite-tab-mine"
            onClick={() => setTab('mine')}
          >
            我的邀请{invites ? `（${invites.total}）` : ''}
          </View>
          <View
            className={`iv-tab${tab === 'board' ? ' iv-tab--on' : ''}`}
            id="invite-tab-board"
            onClick={() => setTab('board')}
          >
            邀请排行
          </View>
        </View>
        {tab === 'mine' ? (
          <View id="invite-mine">
            {invites && invites.invites.length === 0 && <Text className="iv-empty">还没有邀请记录，快去分享吧</Text>}
            {invites?.invites.map((it, i) => (
              <View key={`${it.nickname}-${it.joinedAt}-${i}`} className="iv-row">
                <View className="iv-row__main">
                  <Text className="iv-row__name">{it.nickname}</Text>
                  <Text className="iv-row__sub">
                    {shanghaiDay(it.joinedAt)} {inviteStatusText(it.status)}
                  </Text>
                </View>
                <Text className={`iv-row__badge${it.firstOrder ? ' iv-row__badge--on' : ''}`}>
                  {it.firstOrder ? '已首单' : '未下单'}
                </Text>
              </View>
            ))}
          </View>
        ) : (
          <View id="invite-board">
            {leaders && leaders.length === 0 && <Text className="iv-empty">暂无排行</Text>}
            {leaders?.map((l) => (
              <View key={l.rank} className="iv-row">
                <Text className={`iv-rank${l.rank <= 3 ? ` iv-rank--${l.rank}` : ''}`}>{l.rank}</Text>
                <View className="iv-row__main">
                  <Text className="iv-row__name">{l.nickname}</Text>
                  <Text className="iv-row__sub">好友首单 {l.firstOrders} 人</Text>
                </View>
                <Text className="iv-row__count">邀请 {l.invites} 人</Text>
              </View>
            ))}
          </View>
        )}
      </View>
    </View>
  )
}
