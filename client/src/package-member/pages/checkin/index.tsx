import { useCallback, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError } from '@/utils/cloudData'
import { checkin, fetchCalendar, fetchMe, makeup, type CalendarResult, type CheckinRules } from '@/services/member'
import { askSubscribe } from '@/services/subscribe'
import { addMonths, daysBetween, monthDayLabel, monthLabel, monthLayout } from '@/utils/format'
import { confirm, toast } from '@/utils/ui'
import './index.scss'

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

// 连签奖励周期：服务端未返回 cycleDays 时按最大奖励天数（默认规则为 7 天）
function cycleOf(rules: CheckinRules): number {
  if (rules.cycleDays && rules.cycleDays > 0) return rules.cycleDays
  return Math.max(7, ...rules.bonuses.map((b) => b.day))
}

function pointsOnDay(rules: CheckinRules, day: number): number {
  return rules.basePoints + rules.bonuses.filter((b) => b.day === day).reduce((s, b) => s + b.points, 0)
}

// 每日签到：签到按钮、连签进度、当月日历（已签标记、可补签日期）、规则说明
export default function CheckinPage() {
  const [cal, setCal] = useState<CalendarResult | null>(null)
  const [month, setMonth] = useState<string | null>(null)
  const [points, setPoints] = useState<number | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [result, setResult] = useState<string>('')
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)

  const load = useCallback(async (m?: string) => {
    const [c, me] = await Promise.all([fetchCalendar(m), fetchMe()])
    if (!c.ok) {
      setError(c.error)
      toast(c.error.message)
      return
    }
    setError(null)
    setCal(c.data)
    setMonth(c.data.month)
    if (me.ok) setPoints(me.data.member.points)
  }, [])

  useDidShow(() => {
    void load(month ?? undefined)
  })

  const doCheckin = async () => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    const res = await checkin()
    busyRef.current = false
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      if (res.error.code === 'ALREADY_CHECKED_IN') void load(month ?? undefined)
      return
    }
    const { points: earned, bonus, streak, balance } = res.data
    const text = `签到成功 +${earned} 积分`
    setResult(bonus > 0 ? `${text}（含连续签到 ${streak} 天奖励 ${bonus} 积分）` : text)
    setPoints(balance)
    setCal((c) =>
      c && c.month === res.data.day.slice(0, 7)
        ? { ...c, checkedInToday: true, streak, days: [...c.days.filter((d) => d !== res.data.day), res.data.day] }
        : c && { ...c, checkedInToday: true, streak },
    )
    toast(text)
    void load(cal?.today.slice(0, 7))
    // 签到成功：请求签到提醒与活动通知的订阅
    void askSubscribe(['checkin', 'campaign'])
  }

  const doMakeup = async (day: string) => {
    if (!cal || busyRef.current) return
    const { costPoints } = cal.rules.makeup
    const balance = points !== null ? `（当前积分 ${points}）` : ''
    const ok = await confirm(
      '补签',
      `补签 ${monthDayLabel(day)} 需消耗 ${costPoints} 积分，补签可得 ${cal.rules.basePoints} 积分${balance}`,
      '确认补签',
    )
    if (!ok) return
    busyRef.current = true
    setBusy(true)
    const res = await makeup(day)
    busyRef.current = false
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    toast(`补签成功，已连续签到 ${res.data.streak} 天`)
    void load(month ?? undefined)
  }

  if (error && !cal) return <LoadError idPrefix="checkin" error={error} onRetry={load} />

  const rules = cal?.rules
  const today = cal?.today ?? ''
  const checkedToday = cal?.checkedInToday ?? false
  const streak = cal?.streak ?? 0
  const cycle = rules ? cycleOf(rules) : 7
  // 本轮已完成的天数（今天未签时连签截至昨天）
  const done = checkedToday ? ((streak - 1) % cycle) + 1 : streak % cycle
  const todayEarn = rules ? pointsOnDay(rules, done + 1) : 0

  const viewMonth = month ?? today.slice(0, 7)
  const layout = viewMonth ? monthLayout(viewMonth) : { days: 0, firstWeekday: 0 }
  const checked = new Set(cal?.days ?? [])
  const cells: (string | null)[] = [
    ...Array.from({ length: layout.firstWeekday }, () => null),
    ...Array.from({ length: layout.days }, (_, i) => `${viewMonth}-${String(i + 1).padStart(2, '0')}`),
  ]
  const canMakeup = (day: string) =>
    Boolean(rules?.makeup.enabled) &&
    !checked.has(day) &&
    day < today &&
    daysBetween(day, today) <= (rules?.makeup.maxDaysBack ?? 0)

  return (
    <View className="page checkin-page">
      <View className="ck-head">
        <Text className="ck-head__label">已连续签到</Text>
        <View className="ck-head__streak">
          <Text id="checkin-streak" className="ck-head__num">
            {streak}
          </Text>
          <Text className="ck-head__unit">天</Text>
        </View>
        <Text className="ck-head__points">当前积分 {points ?? '--'}</Text>

        <View className="ck-cycle">
          {Array.from({ length: cycle }, (_, i) => i + 1).map((d) => {
            const isDone = d <= done
            const isNext = !checkedToday && d === done + 1
            const bonus = rules ? pointsOnDay(rules, d) > rules.basePoints : false
            return (
              <View
                key={d}
                className={[
                  'ck-cycle__day',
                  isDone && 'ck-cycle__day--done',
                  isNext && 'ck-cycle__day--next',
                  bonus && 'ck-cycle__day--bonus',
                ]
                  .filter(Boolean)
                  .join(' ')}
              >
                <Text className="ck-cycle__pts">{isDone ? '✓' : `+${rules ? pointsOnDay(rules, d) : 0}`}</Text>
                <Text className="ck-cycle__label">{isNext ? '今天' : `第${d}天`}</Text>
              </View>
            )
          })}
        </View>

        <View className="ck-action">
          <Button
            id="checkin-btn"
            className="ck-action__btn"
            type="primary"
            shape="round"
            size="large"
            block
            disabled={!cal || checkedToday}
            loading={busy}
            onClick={() => void doCheckin()}
          >
            {checkedToday ? '今日已签到' : `立即签到 +${todayEarn} 积分`}
          </Button>
        </View>
        <Text id="checkin-result" className="ck-result">
          {result}
        </Text>
      </View>

      <View className="ck-calendar">
        <View className="ck-calendar__bar">
          <Text
            className="ck-calendar__nav"
            id="checkin-prev-month"
            onClick={() => viewMonth && void load(addMonths(viewMonth, -1))}
          >
            ‹
          </Text>
          <Text className="ck-calendar__title" id="checkin-month">
            {viewMonth ? monthLabel(viewMonth) : ''}
          </Text>
          <Text
            className={`ck-calendar__nav${viewMonth >= today.slice(0, 7) ? ' ck-calendar__nav--off' : ''}`}
            id="checkin-next-month"
            onClick={() => viewMonth && viewMonth < today.slice(0, 7) && void load(addMonths(viewMonth, 1))}
          >
            ›
          </Text>
        </View>
        <View className="ck-calendar__grid">
          {WEEKDAYS.map((w) => (
            <View key={w} className="ck-calendar__cell ck-calendar__week">
              {w}
            </View>
          ))}
          {cells.map((day, i) => {
            if (!day) return <View key={`b${i}`} className="ck-calendar__cell" />
            const isChecked = checked.has(day)
            const isToday = day === today
            const makeupable = canMakeup(day)
            const cls = [
              'ck-calendar__cell',
              'ck-day',
              isChecked ? 'ck-day--checked' : '',
              isToday ? 'ck-day--today' : '',
              day > today ? 'ck-day--future' : '',
              makeupable ? 'ck-day--makeup' : '',
            ].join(' ')
            return (
              <View
                key={day}
                className={cls}
                data-day={day}
                onClick={makeupable ? () => void doMakeup(day) : undefined}
              >
                <Text className="ck-day__num">{isToday ? '今' : Number(day.slice(8))}</Text>
                <Text className="ck-day__mark">{isChecked ? '已签' : makeupable ? '补签' : ''}</Text>
              </View>
            )
          })}
        </View>
      </View>

      {rules && (
        <View className="ck-rules">
          <Text className="ck-rules__title">签到规则</Text>
          <Text className="ck-rules__item">1. 每日签到可获得 {rules.basePoints} 积分</Text>
          {rules.bonuses.map((b, i) => (
            <Text key={b.day} className="ck-rules__item">
              {i + 2}. 连续签到第 {b.day} 天，额外奖励 {b.points} 积分
            </Text>
          ))}
          {rules.makeup.enabled ? (
            <Text className="ck-rules__item">
              {rules.bonuses.length + 2}. 可补签最近 {rules.makeup.maxDaysBack} 天内漏签的日期，每次消耗{' '}
              {rules.makeup.costPoints} 积分，补签可得 {rules.basePoints} 积分（不含连签奖励）
            </Text>
          ) : (
            <Text className="ck-rules__item">{rules.bonuses.length + 2}. 漏签后连续天数将重新计算</Text>
          )}
        </View>
      )}
    </View>
  )
}
