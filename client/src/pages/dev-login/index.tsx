import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Cell, CellGroup, Tag } from '@/components/nut'
import { DEV_IDENTITIES, getDevOpenid, setDevOpenid } from '@/services/identity'

// 开发登录（仅 h5）：选择一个演示身份后回到首页
export default function DevLoginPage() {
  const current = getDevOpenid()

  const pick = (openid: string) => {
    setDevOpenid(openid)
    void Taro.switchTab({ url: '/pages/index/index' })
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
    </View>
  )
}
