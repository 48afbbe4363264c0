import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Button, Cell, CellGroup } from '@/components/nut'
import { findDevIdentity, getDevOpenid, usesDevIdentity } from '@/services/identity'
import { SHOP } from '@/services/shop'
import { detectStaff, type StaffInfo } from '@/services/staff'
import { usePageTracking } from '@/services/tracker'
import { go } from '@/utils/ui'
import './index.scss'

const GUIDE = '/package-guide/pages'
const OPS = '/package-ops/pages'

// 员工入口：[key, 标题, 图标字, 图标底色, 页面]；元素 id 为 <分组 id>-<key>
type StaffEntry = [key: string, title: string, glyph: string, color: string, url: string]

const GUIDE_ENTRIES: StaffEntry[] = [
  ['scan', '扫码识客', '扫', '#fa2c19', `${GUIDE}/scan/index`],
  ['customers', '我的顾客', '客', '#3d7bf7', `${GUIDE}/customers/index`],
  ['my-code', '导购码', '码', '#1f9e6e', `${GUIDE}/my-code/index`],
]

const OPS_ENTRIES: StaffEntry[] = [
  ['dashboard', '数据看板', '数', '#fa2c19', `${OPS}/console/index`],
  ['segments', '人群圈选', '群', '#7a4cf5', `${OPS}/segments/index`],
  ['campaigns', '营销活动', '营', '#ff8a00', `${OPS}/campaigns/index`],
  ['manage', '商品订单', '管', '#1f9e6e', `${OPS}/manage/index`],
]

function StaffEntries({ id, title, entries }: { id: string; title: string; entries: StaffEntry[] }) {
  return (
    <CellGroup title={title}>
      <View className="mine-staff" id={id}>
        {entries.map(([key, name, glyph, color, url]) => (
          <View key={key} id={`${id}-${key}`} className="mine-staff__item" onClick={() => go(url)}>
            <View className="mine-staff__icon" style={{ background: color }}>
              {glyph}
            </View>
            <View className="mine-staff__title">{name}</View>
          </View>
        ))}
      </View>
    </CellGroup>
  )
}

// 我的：订单与优惠券、邀请有礼；员工身份显示导购工作台 / 运营后台入口；当前身份与（h5）切换身份
export default function MinePage() {
  const [openid, setOpenid] = useState<string | null>(null)
  const [staff, setStaff] = useState<StaffInfo | null>(null)
  usePageTracking('pages/mine/index')

  useDidShow(() => {
    const current = getDevOpenid()
    setOpenid(current)
    if (usesDevIdentity && !current) {
      setStaff({ role: null })
      return
    }
    void detectStaff().then(setStaff)
  })

  const identity = findDevIdentity(openid)
  const role = staff?.role ?? null
  return (
    <View className="page">
      {role === 'guide' && (
        <StaffEntries
          id="guide-entry"
          title={`导购工作台${staff?.storeName ? ` · ${staff.storeName}` : ''}`}
          entries={GUIDE_ENTRIES}
        />
      )}
      {role === 'operator' && <StaffEntries id="ops-entry" title="运营后台" entries={OPS_ENTRIES} />}
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
            <View
              key={key}
              className="mine-order-tab"
              data-key={key}
              onClick={() => go(`${SHOP}/order/index?tab=${key}`)}
            >
              {title}
            </View>
          ))}
        </View>
        <View id="mine-coupons">
          <Cell title="我的优惠券" extra="查看" clickable onClick={() => go(`${SHOP}/coupons/index?tab=mine`)} />
        </View>
        {!role && (
          <View id="mine-invite">
            <Cell
              title="邀请有礼"
              extra="邀好友得积分"
              clickable
              onClick={() => go('/package-member/pages/invite/index')}
            />
          </View>
        )}
      </CellGroup>
      <CellGroup title="当前身份">
        {usesDevIdentity ? (
          <>
            <Cell title="身份" extra={<View id="mine-openid">{openid ?? '未选择'}</View>} />
            <Cell
              title="角色"
              extra={identity ? identity.desc : role === 'guide' ? '导购' : role === 'operator' ? '品牌运营' : '--'}
            />
          </>
        ) : (
          <Cell
            title="身份"
            extra={
              role === 'guide'
                ? `导购${staff?.name ? ` · ${staff.name}` : ''}`
                : role === 'operator'
                  ? '品牌运营'
                  : '微信用户'
            }
          />
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
