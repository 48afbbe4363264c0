import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Button, Cell, CellGroup } from '@/components/nut'
import { findDevIdentity, getDevOpenid, usesDevIdentity } from '@/services/identity'

// 我的：当前身份与（h5）切换身份入口
export default function MinePage() {
  const [openid, setOpenid] = useState<string | null>(null)

  useDidShow(() => setOpenid(getDevOpenid()))

  const identity = findDevIdentity(openid)
  return (
    <View className="page">
      <CellGroup title="当前身份">
        {usesDevIdentity ? (
          <>
            <Cell title="身份" extra={<View id="mine-openid">{openid ?? '未选择'}</View>} />
            <Cell title="角色" extra={identity ? identity.desc : '--'} />
          </>
        ) : (
          <Cell title="身份" extra="微信用户" />
        )}
      </CellGroup>
      {usesDevIdentity && (
        <View id="switch-identity" style={{ margin: '24px' }}>
          <Button block type="primary" onClick={() => void Taro.navigateTo({ url: '/pages/dev-login/index' })}>
            切换身份
          </Button>
        </View>
      )}
    </View>
  )
}
