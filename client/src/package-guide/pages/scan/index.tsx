import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { Button, Tag } from '@/components/nut'
import MemberAvatar from '@/components/MemberAvatar'
import { fetchCategories, type Category } from '@/services/shop'
import { tagText } from '@/utils/crm'
import { fenFromYuan, shanghaiDay, yuan } from '@/utils/format'
import { toast } from '@/utils/ui'
import { GUIDE, recordPurchase, scanMember, type ScanResult } from '../../services/guide'
import '../../components/guide.scss'
import './index.scss'

// 扫码识客：扫顾客会员码（h5 粘贴会员码）→ 顾客卡片（等级、积分、RFM、标签；未绑定的顾客自动绑定到我）
// → 记录门店消费（金额 + 品类 + 小票号，顾客获得积分与成长值；同一小票只记一次，会员码用后需刷新）
export default function GuideScanPage() {
  const [input, setInput] = useState('')
  const [code, setCode] = useState<string | null>(null)
  const [result, setResult] = useState<ScanResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [categories, setCategories] = useState<Category[]>([])
  const [amount, setAmount] = useState('')
  const [categoryId, setCategoryId] = useState<string | null>(null)
  const [recorded, setRecorded] = useState<string>('')
  const [saving, setSaving] = useState(false)
  const [receiptNo, setReceiptNo] = useState('')

  useEffect(() => {
    void fetchCategories().then((res) => {
      if (res.ok) {
        setCategories(res.data.categories)
        setCategoryId((cur) => cur ?? res.data.categories[0]?._id ?? null)
      }
    })
  }, [])

  const names = Object.fromEntries(categories.map((c) => [c._id, c.name]))

  const identify = async (raw: string) => {
    const value = raw.trim()
    if (!value) {
      toast('请先扫描或粘贴会员码')
      return
    }
    if (busy) return
    setBusy(true)
    const res = await scanMember(value)
    setBusy(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    setCode(value)
    setResult(res.data)
    setRecorded('')
    setAmount('')
    setReceiptNo('')
  }

  const scan = async () => {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      setInput(res.result)
      void identify(res.result)
    } catch {
      // 取消扫码
    }
  }

  const record = async () => {
    if (!code || !result || saving) return
    const fen = fenFromYuan(amount)
    if (fen === null) {
      toast('请输入正确的消费金额')
      return
    }
    if (!categoryId) {
      toast('请选择消费品类')
      return
    }
    const receipt = receiptNo.trim()
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(receipt)) {
      toast('请输入小票号（字母、数字）')
      return
    }
    // 同一小票重试时服务端只记一次（按门店 + 小票号去重）
    setSaving(true)
    const res = await recordPurchase({ code, amount: fen, categoryId, receiptNo: receipt })
    setSaving(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    const earned = res.data.earned
    setRecorded(`已记录消费 ${yuan(fen)}${earned ? `，顾客获得 ${earned.points} 积分、${earned.growth} 成长值` : ''}`)
    setAmount('')
    setReceiptNo('')
    toast('消费已记录', 'success')
  }

  const m = result?.member
  return (
    <View className="page">
      <View className="gd-card">
        <Text className="gd-card__title">识别顾客会员码</Text>
        {process.env.TARO_ENV === 'weapp' && (
          <View className="gs-camera" id="guide-scan-camera">
            <Button type="primary" shape="round" block onClick={() => void scan()}>
              扫描会员码
            </Button>
          </View>
        )}
        <View className="gd-input-row">
          <Input
            id="guide-scan-input"
            className="gd-input"
            value={input}
            placeholder={process.env.TARO_ENV === 'weapp' ? '或输入会员码' : '粘贴顾客的会员码'}
            onInput={(e) => setInput(e.detail.value)}
            onConfirm={() => void identify(input)}
          />
          <View id="guide-scan-btn">
            <Button type="primary" size="small" loading={busy} onClick={() => void identify(input)}>
              识别
            </Button>
          </View>
        </View>
        <Text className="gd-muted gs-hint">会员码每分钟刷新，请让顾客打开「会员码」页出示</Text>
      </View>

      {result && m && (
        <View className="gd-card" id="scan-result" data-id={m._id}>
          <View className="gs-head">
            <MemberAvatar nickname={m.nickname} size={88} />
            <View className="gs-head__who">
              <Text className="gs-head__name" id="scan-result-name">
                {m.nickname}
              </Text>
              <View className="gs-head__badges">
                <Tag type="warning">{m.tierName}</Tag>
                {result.boundToMe ? (
                  <Text className="gs-badge gs-badge--mine">{result.bound ? '已绑定为我的顾客' : '我的顾客'}</Text>
                ) : (
                  <Text className="gs-badge">其他导购的顾客</Text>
                )}
              </View>
            </View>
          </View>
          <View className="gd-kv">
            <View className="gd-kv__item">
              <Text className="gd-kv__value">{m.points}</Text>
              <Text className="gd-kv__label">积分</Text>
            </View>
            <View className="gd-kv__item">
              <Text className="gd-kv__value">{m.orderCount ?? '--'}</Text>
              <Text className="gd-kv__label">订单数</Text>
            </View>
            <View className="gd-kv__item">
              <Text className="gd-kv__value">{m.lastOrderAt ? shanghaiDay(m.lastOrderAt).slice(5) : '--'}</Text>
              <Text className="gd-kv__label">最近下单</Text>
            </View>
          </View>
          <View className="gd-tags">
            {m.rfmLayer && <Text className="gd-tag gd-tag--layer">{m.rfmLayer}</Text>}
            {(m.tags ?? [])
              .filter((t) => !t.startsWith('city:') && !t.startsWith('gender:'))
              .slice(0, 8)
              .map((t) => (
                <Text key={t} className="gd-tag">
                  {tagText(t, names)}
                </Text>
              ))}
          </View>
          <Text className="gd-muted">{result.visitRecorded ? '已记录今日到店' : '今日到店已记录过'}</Text>
          {result.boundToMe && (
            <View
              className="gs-link"
              onClick={() => void Taro.navigateTo({ url: `${GUIDE}/customer/index?id=${m._id}` })}
            >
              查看顾客档案 ›
            </View>
          )}
        </View>
      )}

      {result && (
        <View className="gd-card" id="record-purchase">
          <Text className="gd-card__title">记录消费</Text>
          <View className="gd-input-row">
            <Text className="gs-yuan">¥</Text>
            <Input
              id="purchase-amount"
              className="gd-input"
              type="digit"
              value={amount}
              placeholder="消费金额（元）"
              onInput={(e) => setAmount(e.detail.value)}
            />
          </View>
          <View className="gd-input-row">
            <Input
              id="purchase-receipt"
              className="gd-input"
              value={receiptNo}
              maxlength={32}
              placeholder="小票号"
              onInput={(e) => setReceiptNo(e.detail.value)}
            />
          </View>
          <Text className="gd-muted gs-label">消费品类</Text>
          <View className="gd-chips">
            {categories.map((c) => (
              <View
                key={c._id}
                className={`gd-chip${c._id === categoryId ? ' gd-chip--on' : ''}`}
                data-id={c._id}
                onClick={() => setCategoryId(c._id)}
              >
                {c.name}
              </View>
            ))}
          </View>
          <View id="purchase-submit" className="gd-submit">
            <Button type="primary" block loading={saving} onClick={() => void record()}>
              确认记录
            </Button>
          </View>
          {recorded && (
            <Text className="gd-ok" id="purchase-result">
              {recorded}
            </Text>
          )}
        </View>
      )}
    </View>
  )
}
