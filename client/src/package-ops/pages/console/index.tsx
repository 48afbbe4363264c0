import type { ReactNode } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { LoadError, useCloudData } from '@/utils/cloudData'
import { percent, yuan } from '@/utils/format'
import { go } from '@/utils/ui'
import Bars from '../../components/Bars'
import { fetchDashboard, OPS, SOURCE_TEXT, type Chart } from '../../services/ops'
import '../../components/ops.scss'
import './index.scss'

const NAV = [
  { key: 'segments', title: '人群圈选', url: `${OPS}/segments/index` },
  { key: 'campaigns', title: '营销活动', url: `${OPS}/campaigns/index` },
  { key: 'manage', title: '商品订单', url: `${OPS}/manage/index` },
]

const RFM_COLORS = ['#fa2c19', '#ff6a3d', '#ff8a00', '#f5b400', '#3d7bf7', '#5b8ff9', '#7a9cc6', '#a8b3c2', '#d0d5dc']

function Meta({ chart }: { chart?: Chart<unknown> }) {
  if (!chart) return null
  return <Text className="op-meta">{`${chart.dbCalls ?? '-'} 次查询 · ${chart.ms ?? '-'} ms`}</Text>
}

// 看板卡片：标题 + 本图的查询次数与耗时
function ChartCard(props: { id?: string; title: string; chart: Chart<unknown>; children: ReactNode }) {
  return (
    <View className="op-card" id={props.id}>
      <View className="op-card__head">
        <Text className="op-card__title">{props.title}</Text>
        <Meta chart={props.chart} />
      </View>
      {props.children}
    </View>
  )
}

// KPI 仪表：当前值、目标线、达标绿色 / 未达标红色
// target 缺省：只作参考（不考核）的指标
function Gauge(props: { id: string; title: string; rate: number; target?: number; detail: string }) {
  const { id, title, rate, target, detail } = props
  const ok = target === undefined || rate >= target
  // 刻度 0 → max（目标的 2 倍，且至少能放下当前值）
  const max = Math.max((target ?? rate) * 2, rate * 1.1, 0.01)
  return (
    <View className={`db-gauge ${target === undefined ? 'db-gauge--ref' : ok ? 'db-gauge--ok' : 'db-gauge--bad'}`}>
      <Text className="db-gauge__title">{title}</Text>
      <Text className="db-gauge__value" id={id}>
        {percent(rate)}
      </Text>
      <View className="db-gauge__track">
        <View className="db-gauge__fill" style={{ width: `${Math.min(100, (rate / max) * 100)}%` }} />
        {target !== undefined && <View className="db-gauge__target" style={{ left: `${(target / max) * 100}%` }} />}
      </View>
      <Text className="db-gauge__hint">
        {target === undefined ? '参考指标，不考核' : `${ok ? '已达标' : '未达标'} · 目标 ${percent(target, 0)}`}
      </Text>
      <Text className="db-gauge__detail">{detail}</Text>
    </View>
  )
}

// 数据看板：单品回购率（考核）/ 复购率（参考）/ 多品类率三个 KPI、等级分布、RFM 分层、生命周期漏斗、渠道与导购 LTV、同期群留存热力表
export default function OpsConsolePage() {
  const { data, error, load } = useCloudData(fetchDashboard)

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (error && !data) return <LoadError idPrefix="dashboard" error={error} onRetry={load} />

  const nav = (
    <View className="db-nav">
      {NAV.map((n) => (
        <View key={n.key} id={`ops-nav-${n.key}`} className="db-nav__item" onClick={() => go(n.url)}>
          {n.title} ›
        </View>
      ))}
    </View>
  )
  if (!data) {
    return (
      <View className="page">
        {nav}
        <Text className="op-empty">加载中…</Text>
      </View>
    )
  }

  const h = data.health.data
  const funnelMax = Math.max(1, ...data.lifecycle.data.map((s) => s.members))
  const cohortCols = Math.max(0, ...data.cohorts.data.map((c) => c.retention.length))
  return (
    <View className="page db-page">
      {nav}

      <ChartCard title="经营健康度" chart={data.health}>
        <View className="db-gauges">
          <Gauge
            id="kpi-same-product"
            title="单品回购率"
            rate={h.sameProductRepurchaseRate}
            target={h.targets.sameProductRepurchaseRate}
            detail={`同一商品买过 2 单及以上 ${h.sameProductRepurchasers} / 会员 ${h.members}`}
          />
          <Gauge
            id="kpi-repurchase"
            title="复购率"
            rate={h.repurchaseRate}
            detail={`任意商品 2 单及以上 ${h.repurchasers} / 会员 ${h.members}`}
          />
          <Gauge
            id="kpi-multicategory"
            title="多品类率"
            rate={h.multiCategoryRate}
            target={h.targets.multiCategoryRate}
            detail={`多品类会员 ${h.multiCategory} / 会员 ${h.members}`}
          />
        </View>
        <Text className="op-muted">
          会员 {h.members} · 已购 {h.buyers}（{percent(h.members ? h.buyers / h.members : 0)}）
        </Text>
      </ChartCard>

      <ChartCard id="chart-funnel" title="生命周期漏斗" chart={data.lifecycle}>
        {data.lifecycle.data.map((s, i) => {
          const prev = data.lifecycle.data[i - 1]?.members ?? 0
          return (
            <View key={s.stage} className="db-funnel__row" data-stage={s.stage}>
              <View className="db-funnel__bar-wrap">
                <View
                  className="db-funnel__bar"
                  style={{ width: `${Math.max(8, (s.members / funnelMax) * 100)}%`, background: RFM_COLORS[i] }}
                >
                  <Text className="db-funnel__text">{s.members}</Text>
                </View>
              </View>
              <Text className="db-funnel__label">{s.name}</Text>
              <Text className="db-funnel__conv">
                {i > 0 && i < 4 && prev ? `转化 ${percent(s.members / prev)}` : ''}
              </Text>
            </View>
          )
        })}
      </ChartCard>

      <ChartCard id="chart-rfm" title="RFM 分层" chart={data.byRfm}>
        <Bars
          items={data.byRfm.data.map((r, i) => ({
            key: r.layer,
            label: r.layer,
            value: r.members,
            color: RFM_COLORS[i],
          }))}
        />
      </ChartCard>

      <ChartCard id="chart-tier" title="会员等级分布" chart={data.byTier}>
        <Bars
          color="#b8863b"
          items={data.byTier.data.map((t) => ({ key: t.tierId, label: t.name, value: t.members }))}
        />
      </ChartCard>

      <ChartCard id="chart-ltv-source" title="各渠道会员 LTV" chart={data.ltvBySource}>
        <Bars
          color="#3d7bf7"
          items={data.ltvBySource.data.map((r) => ({
            key: String(r.key),
            label: `${SOURCE_TEXT[String(r.key)] ?? r.key}（${r.members}人）`,
            value: r.ltv,
            text: yuan(r.ltv),
          }))}
        />
      </ChartCard>

      <ChartCard id="chart-ltv-guide" title="导购会员 LTV（前 10）" chart={data.ltvByGuide}>
        <Bars
          color="#1f9e6e"
          items={[...data.ltvByGuide.data]
            .filter((r) => r.key !== 'none' && r.key !== null)
            .sort((a, b) => b.ltv - a.ltv)
            .slice(0, 10)
            .map((r) => ({ key: String(r.key), label: `${r.key}（${r.members}人）`, value: r.ltv, text: yuan(r.ltv) }))}
        />
      </ChartCard>

      <ChartCard id="chart-cohorts" title="同期群留存（按首单月）" chart={data.cohorts}>
        <View className="db-heat">
          <View className="db-heat__row db-heat__row--head">
            <Text className="db-heat__cohort">首单月</Text>
            <Text className="db-heat__size">人数</Text>
            {Array.from({ length: cohortCols }, (_, k) => (
              <Text key={k} className="db-heat__cell">
                {k === 0 ? '当月' : `+${k}`}
              </Text>
            ))}
          </View>
          {data.cohorts.data.map((c) => (
            <View key={c.cohort} className="db-heat__row" data-cohort={c.cohort}>
              <Text className="db-heat__cohort">{c.cohort.slice(2)}</Text>
              <Text className="db-heat__size">{c.size}</Text>
              {Array.from({ length: cohortCols }, (_, k) => {
                const r = c.retention[k]
                return (
                  <Text
                    key={k}
                    className="db-heat__cell"
                    style={
                      r === undefined
                        ? {}
                        : {
                            background: `rgba(250, 44, 25, ${Math.min(1, 0.08 + r * 0.92)})`,
                            color: r > 0.45 ? '#fff' : '#333',
                          }
                    }
                  >
                    {r === undefined ? '' : `${Math.round(r * 100)}`}
                  </Text>
                )
              })}
            </View>
          ))}
        </View>
        <Text className="op-muted">单元格为该月首单会员在第 k 个月再次购买的比例（%）</Text>
      </ChartCard>
    </View>
  )
}
