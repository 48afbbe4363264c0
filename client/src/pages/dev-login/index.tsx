import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, View } from '@tarojs/components'
import { Button, Cell, CellGroup, Tag } from '@/components/nut'
import { DEV_IDENTITIES, getDevOpenid, setDevOpenid } from '@/services/identity'
import './index.scss'

// 开发登录（仅 h5）：选择一个演示身份（或输入任意种子 openid，如 user_7）后回到首页
export default function DevLoginPage() {
  const current = getDevOpenid()
  const [custom, setCustom] = useState('')

  const pick = (openid: string) => {
    setDevOpenid(openid)
    void Taro.switchTab({ url: '/pages/index/index' })
  }

  const pickCustom = () => {
    const openid = custom.trim()
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(openid)) {
      void Taro.showToast({ title: '请输入有效的 openid', icon: 'none' })
      return
    }
    pick(openid)
  }

  return (
    <View className="page">
      <CellGroup title="本地开发：请选择演示身份">
        {DEV_IDENTITIES.map((it) => (
          <View key={it.openid} id={`identity-${it.openid}`} className="dev-identity" data-openid={it.openid}>
            <Cell
              clickable
              title={`${it.label}（${it.openid}）`}
              description={it.desc}
              extra={<Tag type={it.openid === current ? 'primary' : 'default'}>{it.role}</Tag>}
              onClick={() => pick(it.openid)}
            />
          </View>
        ))}
      </CellGroup>
      <CellGroup title="其他身份（种子消费者 user_1…user_2000）">
        <View className="dev-custom">
          <Input
            id="dev-openid-input"
            className="dev-custom__input"
            value={custom}
            placeholder="输入 openid，如 user_7"
            onInput={(e) => setCustom(e.detail.value)}
            onConfirm={pickCustom}
          />
          <View id="dev-openid-go">
            <Button size="small" type="primary" onClick={pickCustom}>
              进入
            </Button>
          </View>
        </View>
      </CellGroup>
    </View>
  )
}
