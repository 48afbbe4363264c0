import { useCallback, useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError } from '@/utils/cloudData'
import { percent, shanghaiDateTime, yuan } from '@/utils/format'
import { confirm, toast } from '@/utils/ui'
import {
  CAMPAIGN_STATUS,
  countOf,
  fetchCampaignResults,
  kindText,
  launchCampaign,
  listCampaigns,
  previewCampaign,
  RUN_STATUS,
  scheduleText,
  segmentText,
  STOP_REASON,
  TOUCH_STATUS,
  stopCampaign,
  type Campaign,
  type CampaignResults,
  useSegmentNames,
} from '../../services/ops'
import '../../components/ops.scss'
import './index.scss'

// 活动详情：基本信息、草稿预估与发布、停止；效果（触达组 vs 对照组转化率、提升）与每次发送的计数
export default function OpsCampaignPage() {
  const names = useSegmentNames()
  const { params } = useRouter()
  const id = params.id ?? ''
  const [campaign, setCampaign] = useState<Campaign | null>(null)
  const [results, setResults] = useState<CampaignResults | null>(null)
  const [audience, setAudience] = useState<{ audience: number; holdout: number; toTouch: number } | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    const [list, res] = await Promise.all([listCampaigns(), fetchCampaignResults(id)])
    if (!list.ok) {
      setError(list.error)
      return
    }
    const c = list.data.campaigns.find((x) => x._id === id) ?? null
    if (!c) {
      setError({ code: 'NOT_FOUND', message: '活动不存在' })
      return
    }
    setError(null)
    setCampaign(c)
    if (res.ok) setResults(res.data)
    if (c.status === 'draft') {
      const p = await previewCampaign(id)
      if (p.ok) setAudience(p.data)
    }
  }, [id])

  useDidShow(() => {
    void load()
  })

  const launch = async () => {
    if (busy || !(await confirm('发布活动', '发布后将按计划向目标人群发放权益与消息，且不可修改', '发布'))) return
    setBusy(true)
    const res = await launchCampaign(id)
    setBusy(false)
    if (!res.ok) toast(res.error.message)
    else toast('活动已发布', 'success')
    void load()
  }

  const stop = async () => {
    if (busy || !(await confirm('停止活动', '停止后不再继续发送，已发放的券仍然有效', '停止'))) return
    setBusy(true)
    const res = await stopCampaign(id)
    setBusy(false)
    if (!res.ok) toast(res.error.message)
    else toast('活动已停止')
    void load()
  }

  if (error && !campaign) return <LoadError idPrefix="campaign" error={error} onRetry={load} />
  if (!campaign)
    return (
      <View className="page">
        <Text className="op-empty">加载中…</Text>
      </View>
    )

  const c = campaign
  const g = results?.groups
  const maxRate = Math.max(0.0001, results?.touchedRate ?? 0, results?.holdoutRate ?? 0)
  return (
    <View className="page">
      <View className="op-card">
        <View className="op-card__head">
          <Text className="op-card__title">{c.name}</Text>
          <Text className={`op-status op-status--${c.status}`} id="campaign-status">
            {CAMPAIGN_STATUS[c.status] ?? c.status}
          </Text>
        </View>
        <Text className="op-row__sub">类型：{kindText(c.kind)}</Text>
        <Text className="op-row__sub">人群：{c.segment ? segmentText(c.segment, names) : c.summary || '全部会员'}</Text>
        <Text className="op-row__sub">时间：{scheduleText(c.schedule)}</Text>
        {c.message && <Text className="op-row__sub">消息：{c.message.data.thing1}</Text>}
        {c.config && (
          <Text className="op-row__sub">
            对照组 {c.config.holdoutPercent}% · 频控 {c.config.frequencyCapDays} 天 · 免打扰 {c.config.quietHours.start}
            :00–{c.config.quietHours.end}:00 · 转化窗口 {c.config.conversionDays} 天
          </Text>
        )}
        {c.status === 'draft' && audience && (
          <Text className="op-row__sub cp-audience">
            预估：目标 {audience.audience} 人 · 对照 {audience.holdout} 人 · 触达 {audience.toTouch} 人
          </Text>
        )}
        <View className="op-actions">
          {c.status === 'draft' && (
            <View id="campaign-launch">
              <Button type="primary" size="small" loading={busy} onClick={() => void launch()}>
                发布
              </Button>
            </View>
          )}
          {c.status !== 'stopped' && (
            <View id="campaign-stop">
              <Button size="small" loading={busy} onClick={() => void stop()}>
                停止
              </Button>
            </View>
          )}
        </View>
      </View>

      {results && g && (
        <View className="op-card" id="campaign-results">
          <Text className="op-card__title">活动效果</Text>
          <View className="cp-lift">
            <Text className="cp-lift__label">转化提升</Text>
            <Text
              className={`cp-lift__value${results.liftPoints >= 0 ? ' cp-lift__value--up' : ''}`}
              id="campaign-lift"
            >
              {results.liftPoints >= 0 ? '+' : ''}
              {(results.liftPoints * 100).toFixed(1)} 个百分点
            </Text>
            <Text className="op-muted">
              {results.liftRelative === null
                ? '对照组无转化，无法计算相对提升'
                : `相对提升 ${percent(results.liftRelative)}`}
            </Text>
            {/* 对照组在转化窗口内是否被其他营销活动触达：被触达则提升不可信 */}
            {results.liftClean === false && (
              <Text className="op-muted" id="campaign-lift-contaminated">
                {`对照组有 ${results.holdoutContaminated} 人在转化窗口内收到其他活动，提升仅供参考`}
              </Text>
            )}
          </View>
          {(
            [
              ['touched', '触达组', results.touchedRate, '#fa2c19'],
              ['holdout', '对照组', results.holdoutRate, '#a8b3c2'],
            ] as const
          ).map(([key, label, rate, color]) => (
            <View key={key} className="cp-group" data-group={key}>
              <View className="cp-group__head">
                <Text className="cp-group__name">{label}</Text>
                <Text className="op-muted">
                  {g[key].converted}/{g[key].members} 人转化 · 成交 {yuan(g[key].revenue)}
                </Text>
              </View>
              <View className="op-bar">
                <View className="op-bar__track">
                  <View className="op-bar__fill" style={{ width: `${(rate / maxRate) * 100}%`, background: color }} />
                </View>
                <Text className="op-bar__value">{percent(rate)}</Text>
              </View>
            </View>
          ))}
          {Object.keys(results.statuses).length > 0 && (
            <Text className="op-muted cp-statuses">
              {Object.entries(results.statuses)
                .map(([s, n]) => `${TOUCH_STATUS[s] ?? s} ${n}`)
                .join(' · ')}
            </Text>
          )}
        </View>
      )}

      <View className="op-card" id="campaign-runs">
        <Text className="op-card__title">发送记录</Text>
        {c.runs.length === 0 && (
          <Text className="op-muted">{c.status === 'draft' ? '发布后由定时任务按计划发送' : '等待定时任务发送'}</Text>
        )}
        {c.runs.map((r) => (
          <View key={r._id} className="op-row">
            <View className="op-row__main">
              <Text className="op-row__title">
                {r.period && r.period !== 'once' ? `${r.period} 期` : '单次发送'}
                {r.startedAt ? ` · ${shanghaiDateTime(r.startedAt)}` : ''}
              </Text>
              <Text className="op-row__sub">
                扫描 {r.counts.scanned} · 触达 {r.counts.touched} · 对照 {r.counts.holdout} · 跳过{' '}
                {countOf(r.counts.skipped)} · 发券 {r.counts.coupons} · 消息 {r.counts.messages}（失败{' '}
                {countOf(r.counts.messageFailures)}）· 未送达 {countOf(r.counts.notSent)}
              </Text>
              {r.stopReason && (
                <Text className="op-row__sub">停止原因：{STOP_REASON[r.stopReason] ?? r.stopReason}</Text>
              )}
            </View>
            <Text className={`op-status op-status--${r.status}`}>{RUN_STATUS[r.status] ?? r.status}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
