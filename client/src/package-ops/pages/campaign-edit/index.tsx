import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Picker, Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { shanghaiAt, shanghaiDay, shanghaiToday } from '@/utils/format'
import { confirm, toast } from '@/utils/ui'
import SegmentBuilder from '../../components/SegmentBuilder'
import {
  DEFAULT_CONFIG,
  KINDS,
  launchCampaign,
  listCouponTemplates,
  listSegments,
  OPS,
  previewCampaign,
  saveCampaign,
  scheduleText,
  segmentText,
  takePendingSegment,
  type CampaignConfig,
  type CampaignInput,
  type CampaignKind,
  type CouponTemplateRow,
  type SavedSegment,
  type Schedule,
  type SegmentDef,
  useSegmentNames,
} from '../../services/ops'
import '../../components/ops.scss'
import './index.scss'

const STEPS = ['人群', '权益', '消息', '时间', '预览']
const HOURS = Array.from({ length: 24 }, (_, h) => `${h}:00`)
const DAYS = Array.from({ length: 28 }, (_, d) => `${d + 1} 日`)
const MONTHS = Array.from({ length: 12 }, (_, m) => `${m + 1} 月`)

type ScheduleType = Schedule['type']

interface Preview {
  audience: number
  holdout: number
  toTouch: number
  summary: string
}

// 营销活动向导：人群 → 权益（优惠券）→ 订阅消息 → 发送时间与规则（对照组、频控、免打扰、转化窗口）→ 预览人数 → 发布
export default function CampaignEditPage() {
  const names = useSegmentNames()
  const [step, setStep] = useState(0)
  const [name, setName] = useState('')
  const [kind, setKind] = useState<CampaignKind>('recall')
  const [segment, setSegment] = useState<SegmentDef>(() => takePendingSegment() ?? { stages: ['at_risk'] })
  const [segments, setSegments] = useState<SavedSegment[]>([])
  const [coupons, setCoupons] = useState<CouponTemplateRow[]>([])
  const [couponId, setCouponId] = useState<string | null>(null)
  const [withMessage, setWithMessage] = useState(true)
  const [thing1, setThing1] = useState('好久不见，送你一张专属优惠券')
  const [scheduleType, setScheduleType] = useState<ScheduleType>('now')
  const [atDay, setAtDay] = useState(shanghaiToday())
  const [hour, setHour] = useState(10)
  const [day, setDay] = useState(1)
  const [month, setMonth] = useState(1)
  const [config, setConfig] = useState<CampaignConfig>(DEFAULT_CONFIG)
  const [draftId, setDraftId] = useState<string | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void listCouponTemplates().then(
      (res) => res.ok && setCoupons(res.data.templates.filter((t) => t.status === 'active')),
    )
    void listSegments().then((res) => res.ok && setSegments(res.data.segments))
  }, [])

  const schedule = (): Schedule => {
    switch (scheduleType) {
      case 'now':
        return { type: 'now' }
      case 'at':
        return { type: 'at', at: shanghaiAt(atDay, hour) }
      case 'monthly':
        return { type: 'monthly', day, hour }
      case 'yearly':
        return { type: 'yearly', month, day, hour }
    }
  }

  const input = (): CampaignInput => ({
    ...(draftId ? { _id: draftId } : {}),
    name: name.trim().slice(0, 30),
    kind,
    segment,
    offer: { couponTemplateId: couponId },
    message: withMessage
      ? { templateKey: 'campaign', page: 'pages/index/index', data: { thing1: thing1.trim().slice(0, 20) } }
      : null,
    schedule: schedule(),
    config,
  })

  const check = (s: number): string | null => {
    if (s === 0 && !name.trim()) return '请填写活动名称'
    if (s === 2 && withMessage && !thing1.trim()) return '请填写消息内容'
    if (s === 2 && !withMessage && !couponId) return '请至少设置优惠券或消息'
    if (s === 3 && scheduleType === 'at' && shanghaiAt(atDay, hour) < Date.now()) return '发送时间已过，请重新选择'
    return null
  }

  // 进入预览：保存草稿（首次新建，之后更新同一草稿）并预估人数
  const toPreview = async () => {
    setBusy(true)
    const saved = await saveCampaign(input())
    if (!saved.ok) {
      setBusy(false)
      toast(saved.error.message)
      return
    }
    setDraftId(saved.data._id)
    const res = await previewCampaign(saved.data._id)
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    setPreview(res.data)
    setStep(4)
  }

  const next = () => {
    for (let s = 0; s <= step; s++) {
      const problem = check(s)
      if (problem) {
        toast(problem)
        setStep(s)
        return
      }
    }
    if (step === 3) void toPreview()
    else setStep(step + 1)
  }

  const launch = async () => {
    if (!draftId || !preview || busy) return
    const ok = await confirm(
      '发布活动',
      `将向约 ${preview.toTouch} 位会员发放权益/消息（对照组 ${preview.holdout} 人不触达），发布后不可修改`,
      '发布',
    )
    if (!ok) return
    setBusy(true)
    const res = await launchCampaign(draftId)
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    toast('活动已发布', 'success')
    void Taro.redirectTo({ url: `${OPS}/campaign/index?id=${draftId}` })
  }

  const num = (text: string, min: number, max: number) =>
    Math.max(min, Math.min(max, Number(text.replace(/\D/g, '')) || 0))

  return (
    <View className="page ce-page">
      <View className="ce-steps" id="campaign-steps">
        {STEPS.map((s, i) => (
          <View
            key={s}
            className={`ce-step${i === step ? ' ce-step--on' : ''}${i < step ? ' ce-step--done' : ''}`}
            onClick={() => i < step && setStep(i)}
          >
            <Text className="ce-step__dot">{i < step ? '✓' : i + 1}</Text>
            <Text className="ce-step__name">{s}</Text>
          </View>
        ))}
      </View>

      {step === 0 && (
        <View className="op-card">
          <Text className="op-label">活动名称</Text>
          <Input
            id="campaign-name"
            className="op-input"
            value={name}
            maxlength={30}
            placeholder="如：11 月流失召回"
            onInput={(e) => setName(e.detail.value)}
          />
          <Text className="op-label">活动类型</Text>
          <View className="op-chips">
            {KINDS.map((k) => (
              <View
                key={k.key}
                className={`op-chip kind-chip${kind === k.key ? ' op-chip--on' : ''}`}
                data-value={k.key}
                onClick={() => setKind(k.key)}
              >
                {k.label}
              </View>
            ))}
          </View>
          {segments.length > 0 && (
            <>
              <Text className="op-label">从已保存人群载入</Text>
              <View className="op-chips">
                {segments.slice(0, 8).map((s) => (
                  <View key={s._id} className="op-chip" onClick={() => setSegment(s.def)}>
                    {s.name}（{s.lastCount}）
                  </View>
                ))}
              </View>
            </>
          )}
          <SegmentBuilder value={segment} onChange={setSegment} />
        </View>
      )}

      {step === 1 && (
        <View className="op-card">
          <Text className="op-card__title">发放优惠券</Text>
          <View
            className={`ce-option${couponId === null ? ' ce-option--on' : ''}`}
            id="coupon-none"
            onClick={() => setCouponId(null)}
          >
            <Text>不发券（仅发消息）</Text>
          </View>
          {coupons.map((c) => (
            <View
              key={c._id}
              className={`ce-option coupon-option${couponId === c._id ? ' ce-option--on' : ''}`}
              data-id={c._id}
              onClick={() => setCouponId(c._id)}
            >
              <Text>{c.name}</Text>
              <Text className="op-muted">
                已发 {c.issued} / 总量 {c.quota}
              </Text>
            </View>
          ))}
          {coupons.length === 0 && <Text className="op-muted">暂无可用券模板</Text>}
        </View>
      )}

      {step === 2 && (
        <View className="op-card">
          <Text className="op-card__title">订阅消息</Text>
          <View className="op-chips">
            <View
              className={`op-chip${withMessage ? ' op-chip--on' : ''}`}
              id="message-on"
              onClick={() => setWithMessage(true)}
            >
              发送活动通知
            </View>
            <View
              className={`op-chip${!withMessage ? ' op-chip--on' : ''}`}
              id="message-off"
              onClick={() => setWithMessage(false)}
            >
              不发消息
            </View>
          </View>
          {withMessage && (
            <>
              <Text className="op-label">通知内容（≤ 20 字）</Text>
              <Input
                id="message-thing1"
                className="op-input"
                value={thing1}
                maxlength={20}
                onInput={(e) => setThing1(e.detail.value)}
              />
              <Text className="op-muted">
                {thing1.length}/20 · 点击通知打开首页；只发给已订阅活动提醒且未关闭营销消息的会员
              </Text>
            </>
          )}
        </View>
      )}

      {step === 3 && (
        <View className="op-card">
          <Text className="op-card__title">发送时间</Text>
          <View className="op-chips">
            {(
              [
                ['now', '立即'],
                ['at', '定时'],
                ['monthly', '每月'],
                ['yearly', '每年'],
              ] as const
            ).map(([t, label]) => (
              <View
                key={t}
                className={`op-chip${scheduleType === t ? ' op-chip--on' : ''}`}
                data-value={t}
                onClick={() => setScheduleType(t)}
              >
                {label}
              </View>
            ))}
          </View>
          {scheduleType !== 'now' && (
            <View className="ce-when">
              {scheduleType === 'at' && (
                <Picker mode="date" value={atDay} start={shanghaiToday()} onChange={(e) => setAtDay(e.detail.value)}>
                  <View className="op-input ce-pick">{atDay}</View>
                </Picker>
              )}
              {scheduleType === 'yearly' && (
                <Picker
                  mode="selector"
                  range={MONTHS}
                  value={month - 1}
                  onChange={(e) => setMonth(Number(e.detail.value) + 1)}
                >
                  <View className="op-input ce-pick">{MONTHS[month - 1]}</View>
                </Picker>
              )}
              {(scheduleType === 'monthly' || scheduleType === 'yearly') && (
                <Picker
                  mode="selector"
                  range={DAYS}
                  value={day - 1}
                  onChange={(e) => setDay(Number(e.detail.value) + 1)}
                >
                  <View className="op-input ce-pick">{DAYS[day - 1]}</View>
                </Picker>
              )}
              <Picker mode="selector" range={HOURS} value={hour} onChange={(e) => setHour(Number(e.detail.value))}>
                <View className="op-input ce-pick">{HOURS[hour]}</View>
              </Picker>
            </View>
          )}

          <Text className="op-card__title ce-rules-title">触达规则</Text>
          {(
            [
              ['holdoutPercent', '对照组比例（%）', 0, 50],
              ['frequencyCapDays', '频控：同一会员间隔（天）', 0, 30],
              ['conversionDays', '转化统计窗口（天）', 1, 60],
            ] as const
          ).map(([key, label, min, max]) => (
            <View key={key} className="ce-rule">
              <Text className="ce-rule__label">{label}</Text>
              <Input
                id={`config-${key}`}
                className="op-input ce-rule__input"
                type="number"
                value={String(config[key])}
                onInput={(e) => setConfig({ ...config, [key]: num(e.detail.value, min, max) })}
              />
            </View>
          ))}
          <View className="ce-rule">
            <Text className="ce-rule__label">免打扰时段</Text>
            <Picker
              mode="selector"
              range={HOURS}
              value={config.quietHours.start}
              onChange={(e) =>
                setConfig({ ...config, quietHours: { ...config.quietHours, start: Number(e.detail.value) } })
              }
            >
              <View className="op-input ce-pick">{HOURS[config.quietHours.start]}</View>
            </Picker>
            <Text className="op-muted ce-to">至</Text>
            <Picker
              mode="selector"
              range={HOURS}
              value={config.quietHours.end}
              onChange={(e) =>
                setConfig({ ...config, quietHours: { ...config.quietHours, end: Number(e.detail.value) } })
              }
            >
              <View className="op-input ce-pick">{HOURS[config.quietHours.end]}</View>
            </Picker>
          </View>
        </View>
      )}

      {step === 4 && preview && (
        <View className="op-card" id="campaign-preview">
          <Text className="op-card__title">{name}</Text>
          <View className="ce-preview">
            <View className="ce-preview__item">
              <Text className="ce-preview__value" id="preview-audience">
                {preview.audience}
              </Text>
              <Text className="op-muted">目标人群</Text>
            </View>
            <View className="ce-preview__item">
              <Text className="ce-preview__value">{preview.holdout}</Text>
              <Text className="op-muted">对照组</Text>
            </View>
            <View className="ce-preview__item">
              <Text className="ce-preview__value ce-preview__value--main" id="preview-to-touch">
                {preview.toTouch}
              </Text>
              <Text className="op-muted">预计触达</Text>
            </View>
          </View>
          <Text className="op-row__sub">人群：{segmentText(segment, names)}</Text>
          <Text className="op-row__sub">
            权益：{couponId ? (coupons.find((c) => c._id === couponId)?.name ?? couponId) : '不发券'}
          </Text>
          <Text className="op-row__sub">消息：{withMessage ? thing1 : '不发消息'}</Text>
          <Text className="op-row__sub">时间：{scheduleText(schedule())}</Text>
          <Text className="op-row__sub">
            规则：对照组 {config.holdoutPercent}% · {config.frequencyCapDays} 天内不重复打扰 · {config.quietHours.start}
            :00–{config.quietHours.end}:00 免打扰 · {config.conversionDays} 天转化窗口
          </Text>
          <Text className="op-muted ce-note">活动已存为草稿（{shanghaiDay(Date.now())}），可在活动列表中继续发布</Text>
        </View>
      )}

      <View className="ce-bar">
        {step > 0 && (
          <Button className="ce-bar__btn" onClick={() => setStep(step - 1)}>
            上一步
          </Button>
        )}
        {step < 4 ? (
          <View id="campaign-next" className="ce-bar__main">
            <Button type="primary" block loading={busy} onClick={next}>
              {step === 3 ? '保存并预览' : '下一步'}
            </Button>
          </View>
        ) : (
          <View id="campaign-launch" className="ce-bar__main">
            <Button type="primary" block loading={busy} onClick={() => void launch()}>
              发布活动
            </Button>
          </View>
        )}
      </View>
    </View>
  )
}
