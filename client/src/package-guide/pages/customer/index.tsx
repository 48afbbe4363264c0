import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Input, Text, Textarea, View } from '@tarojs/components'
import { Button, Tag } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import MemberAvatar from '@/components/MemberAvatar'
import { ORDER_STATUS, stageText } from '@/utils/crm'
import { shanghaiDateTime, shanghaiDay, yuan } from '@/utils/format'
import { confirm, toast } from '@/utils/ui'
import { fetchCustomer, noteCustomer, tagCustomer, untagCustomer } from '../../services/guide'
import '../../components/guide.scss'
import './index.scss'

// 顾客档案：RFM 评分与分层、生命周期、消费统计、标签（系统标签 + 手动标签增删）、跟进备注、最近订单
export default function GuideCustomerPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const { data, error, load } = useCloudData(() => fetchCustomer(id))
  const customer = data?.customer ?? null
  const orders = data?.orders ?? []
  const notes = data?.notes ?? []
  const [tagInput, setTagInput] = useState('')
  const [noteInput, setNoteInput] = useState('')
  const [busy, setBusy] = useState(false)

  const addTag = async () => {
    const tag = tagInput.trim()
    if (!tag) {
      toast('请输入标签')
      return
    }
    if (tag.length > 12) {
      toast('标签最多 12 个字')
      return
    }
    if (/[:<>]/.test(tag)) {
      toast('标签不能包含 : < >')
      return
    }
    if (busy) return
    setBusy(true)
    const res = await tagCustomer(id, tag)
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    setTagInput('')
    toast('已添加标签', 'success')
    void load()
  }

  const removeTag = async (tag: string) => {
    if (busy || !(await confirm('删除标签', `确定删除标签「${tag}」？`, '删除'))) return
    setBusy(true)
    const res = await untagCustomer(id, tag)
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    void load()
  }

  const addNote = async () => {
    const text = noteInput.trim()
    if (!text) {
      toast('请输入跟进内容')
      return
    }
    if (busy) return
    setBusy(true)
    const res = await noteCustomer(id, text.slice(0, 300))
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    setNoteInput('')
    toast('已保存', 'success')
    void load()
  }

  if (error && !customer) return <LoadError idPrefix="customer" error={error} onRetry={load} />
  if (!customer)
    return (
      <View className="page">
        <Text className="gd-empty">加载中…</Text>
      </View>
    )

  const c = customer
  const manual = new Set(c.manualTags.map((t) => t.tag))
  const systemTags = c.tags.filter((t) => !t.tag.startsWith('manual:') && !manual.has(t.label))
  return (
    <View className="page">
      <View className="gd-card">
        <View className="gu-head">
          <MemberAvatar src={c.avatar} nickname={c.nickname} size={104} />
          <View className="gu-head__who">
            <Text className="gu-head__name" id="customer-name">
              {c.nickname}
            </Text>
            <View className="gu-head__badges">
              <Tag type="warning">{c.tierName}</Tag>
              <Text className="gd-muted gu-head__stage">{stageText(c.stage)}</Text>
            </View>
          </View>
        </View>
        <View className="gd-kv">
          <View className="gd-kv__item">
            <Text className="gd-kv__value">{c.stats.orderCount}</Text>
            <Text className="gd-kv__label">累计订单</Text>
          </View>
          <View className="gd-kv__item">
            <Text className="gd-kv__value">{yuan(c.stats.paidTotal)}</Text>
            <Text className="gd-kv__label">累计消费</Text>
          </View>
          <View className="gd-kv__item">
            <Text className="gd-kv__value">{c.points}</Text>
            <Text className="gd-kv__label">积分</Text>
          </View>
        </View>
        <Text className="gd-muted">
          最近下单 {c.stats.lastOrderAt ? shanghaiDay(c.stats.lastOrderAt) : '--'}
          {c.birthday ? ` · 生日 ${c.birthday}` : ''}
          {c.city ? ` · ${c.city}` : ''}
        </Text>
      </View>

      <View className="gd-card" id="customer-rfm">
        <Text className="gd-card__title">RFM 分析</Text>
        {c.rfm ? (
          <>
            <View className="gu-rfm">
              {(
                [
                  ['R', '最近消费', c.rfm.r],
                  ['F', '消费频次', c.rfm.f],
                  ['M', '消费金额', c.rfm.m],
                ] as const
              ).map(([k, label, v]) => (
                <View key={k} className="gu-rfm__item">
                  <Text className="gu-rfm__score">{v}</Text>
                  <Text className="gd-kv__label">
                    {k} · {label}
                  </Text>
                </View>
              ))}
            </View>
            <Text className="gd-tag gd-tag--layer">{c.rfm.layer}</Text>
          </>
        ) : (
          <Text className="gd-muted">近期暂无消费，未进入 RFM 分层</Text>
        )}
      </View>

      <View className="gd-card" id="customer-tags">
        <Text className="gd-card__title">标签</Text>
        <View className="gd-tags">
          {systemTags.map((t) => (
            <Text key={t.tag} className="gd-tag">
              {t.label}
            </Text>
          ))}
          {c.manualTags.map((t) => (
            <View
              key={t.tag}
              className="gd-tag gd-tag--manual manual-tag"
              data-tag={t.tag}
              onClick={() => void removeTag(t.tag)}
            >
              {t.tag}
              <Text className="gd-tag__x">×</Text>
            </View>
          ))}
          {systemTags.length === 0 && c.manualTags.length === 0 && <Text className="gd-muted">暂无标签</Text>}
        </View>
        <View className="gd-input-row gu-add">
          <Input
            id="add-tag-input"
            className="gd-input"
            value={tagInput}
            maxlength={12}
            placeholder="添加标签，如：爱喝拿铁"
            onInput={(e) => setTagInput(e.detail.value)}
            onConfirm={() => void addTag()}
          />
          <View id="add-tag-btn">
            <Button type="primary" size="small" onClick={() => void addTag()}>
              添加
            </Button>
          </View>
        </View>
      </View>

      <View className="gd-card" id="customer-notes">
        <Text className="gd-card__title">跟进记录</Text>
        <Textarea
          id="note-input"
          className="gu-note-input"
          value={noteInput}
          maxlength={300}
          placeholder="记录顾客偏好、沟通情况…"
          onInput={(e) => setNoteInput(e.detail.value)}
        />
        <View id="note-btn" className="gu-note-btn">
          <Button type="primary" size="small" onClick={() => void addNote()}>
            保存记录
          </Button>
        </View>
        {notes.length === 0 && <Text className="gd-muted">暂无跟进记录</Text>}
        {notes.map((n, i) => (
          <View key={n._id ?? `${n.at}-${i}`} className="gu-note">
            <Text className="gu-note__text">{n.text}</Text>
            <Text className="gd-muted">
              {n.byName} · {shanghaiDateTime(n.at)}
            </Text>
          </View>
        ))}
      </View>

      <View className="gd-card" id="customer-orders">
        <Text className="gd-card__title">最近订单</Text>
        {orders.length === 0 && <Text className="gd-muted">暂无订单</Text>}
        {orders.map((o) => (
          <View key={o._id} className="gu-order">
            <View className="gu-order__main">
              <Text className="gu-order__name">{o.lines?.map((l) => l.name).join('、') || '订单'}</Text>
              <Text className="gd-muted">{shanghaiDateTime(o.createdAt)}</Text>
            </View>
            <View className="gu-order__side">
              <Text className="gu-order__amount">{yuan(o.payAmount)}</Text>
              <Text className="gd-muted">{ORDER_STATUS[o.status] ?? o.status}</Text>
            </View>
          </View>
        ))}
      </View>
    </View>
  )
}
