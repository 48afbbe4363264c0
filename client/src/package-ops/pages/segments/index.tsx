import { useEffect, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { stageText } from '@/utils/crm'
import { shanghaiDateTime } from '@/utils/format'
import { go, toast } from '@/utils/ui'
import SegmentBuilder from '../../components/SegmentBuilder'
import {
  listSegments,
  OPS,
  previewSegment,
  saveSegment,
  segmentText,
  setPendingSegment,
  type SavedSegment,
  type SegmentDef,
  type SegmentPreview,
  useSegmentNames,
} from '../../services/ops'
import '../../components/ops.scss'
import './index.scss'

// 人群圈选：条件一变就实时预估人数与样本（服务端在数据库里计数），可保存为人群、一键建活动
export default function OpsSegmentsPage() {
  const names = useSegmentNames()
  const [def, setDef] = useState<SegmentDef>({})
  const [preview, setPreview] = useState<SegmentPreview | null>(null)
  const [counting, setCounting] = useState(false)
  const [name, setName] = useState('')
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState<SavedSegment[]>([])
  const seq = useRef(0)

  // 条件变化 300ms 后预估（只采用最新一次的结果）
  useEffect(() => {
    const n = ++seq.current
    setCounting(true)
    const timer = setTimeout(() => {
      void previewSegment(def).then((res) => {
        if (n !== seq.current) return
        setCounting(false)
        if (res.ok) setPreview(res.data)
        else toast(res.error.message)
      })
    }, 300)
    return () => clearTimeout(timer)
  }, [def])

  const loadSaved = async () => {
    const res = await listSegments()
    if (res.ok) setSaved(res.data.segments)
  }

  useDidShow(() => {
    void loadSaved()
  })

  const save = async () => {
    const n = name.trim()
    if (!n) {
      toast('请输入人群名称')
      return
    }
    if (saving) return
    setSaving(true)
    const res = await saveSegment(n.slice(0, 20), def)
    setSaving(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    toast(`已保存，共 ${res.data.count} 人`, 'success')
    setName('')
    void loadSaved()
  }

  return (
    <View className="page sg-page">
      <View className="sg-sticky" id="segment-preview">
        <View className="sg-count">
          <Text className="sg-count__label">预估人数</Text>
          <Text className="sg-count__value" id="segment-count" data-counting={counting ? '1' : '0'}>
            {preview ? preview.count : '--'}
          </Text>
          <Text className="op-muted">{counting ? '计算中…' : '人'}</Text>
        </View>
        <Text className="sg-summary" id="segment-summary">
          {segmentText(def, names)}
        </Text>
      </View>

      <View className="op-card">
        <SegmentBuilder value={def} onChange={setDef} />
      </View>

      {preview && preview.sample.length > 0 && (
        <View className="op-card" id="segment-sample">
          <Text className="op-card__title">样本会员</Text>
          {preview.sample.map((m) => (
            <View key={m._id} className="op-row">
              <View className="op-row__main">
                <Text className="op-row__title">{m.nickname}</Text>
                <Text className="op-row__sub">
                  {m.rfmLayer ?? '未分层'} · {stageText(m.stage)} · {m.orderCount} 单
                  {m.tags.length ? ` · ${m.tags.slice(0, 3).join('、')}` : ''}
                </Text>
              </View>
            </View>
          ))}
        </View>
      )}

      <View className="op-card">
        <Text className="op-card__title">保存为人群</Text>
        <View className="sg-save">
          <Input
            id="segment-name"
            className="op-input sg-save__input"
            value={name}
            maxlength={20}
            placeholder="人群名称，如：高价值待挽留"
            onInput={(e) => setName(e.detail.value)}
          />
          <View id="segment-save">
            <Button type="primary" size="small" loading={saving} onClick={() => void save()}>
              保存
            </Button>
          </View>
        </View>
        <View className="op-actions">
          <Button
            size="small"
            onClick={() => {
              setPendingSegment(def)
              go(`${OPS}/campaign-edit/index`)
            }}
          >
            用该人群建活动
          </Button>
        </View>
      </View>

      <View className="op-card" id="segment-list">
        <Text className="op-card__title">已保存的人群</Text>
        {saved.length === 0 && <Text className="op-muted">暂无</Text>}
        {saved.map((s) => (
          <View key={s._id} className="op-row saved-segment" data-id={s._id} onClick={() => setDef(s.def)}>
            <View className="op-row__main">
              <Text className="op-row__title">{s.name}</Text>
              <Text className="op-row__sub">
                {segmentText(s.def, names)} · {s.lastCount} 人 · {shanghaiDateTime(s.countedAt)}
              </Text>
            </View>
            <Text className="op-muted">载入 ›</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
