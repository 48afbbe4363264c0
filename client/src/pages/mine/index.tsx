import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Button, Cell, CellGroup } from '@/components/nut'
import { findDevIdentity, getDevOpenid, usesDevIdentity } from '@/services/identity'
import { SHOP } from '@/services/shop'
import { go } from '@/utils/ui'
import './index.scss'

// 我的：订单与优惠券入口、当前身份与（h5）切换身份入口
export default function MinePage() {
  const [openid, setOpenid] = useState<string | null>(null)

  useDidShow(() => setOpenid(getDevOpenid()))

  const identity = findDevIdentity(openid)
  return (
    <View className="page">
      <CellGroup title="我的交易">
        <View id="mine-orders">
          <Cell title="我的订单" extra="全部订单" clickable onClick={() => go(`${SHOP}/order/index`)} />
        </View>
        <View className="mine-order-tabs">
          {[
            ['unpaid', '待付款'],
            ['toship', '待发货'],
            ['toreceive', '待收货'],
            ['refund', '退款/售后'],
          ].map(([key, title]) => (
            <View key={key} className="mine-order-tab" data-key={key} onClick={() => go(`${SHOP}/order/index?tab=${key}`)}>
              {title}
            </View>
          ))}
        </View>
        <View id="mine-coupons">
          <Cell title="我的优惠券" extra="查看" clickable onClick={() => go(`${SHOP}/coupons/index?tab=mine`)} />
        </View>
      </CellGroup>
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
