import { useCallback, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { storeName, useStores } from '@/services/shop'
import { canTransition, refundableBy } from '@cloud/domain/orders'
import { ORDER_STATUS } from '@/utils/crm'
import { shanghaiDateTime, yuan } from '@/utils/format'
import { confirm, toast } from '@/utils/ui'
import { Switch } from '../../components/nut'
import {
  listActivities,
  listOrders,
  listProducts,
  listStaff,
  readyForPickup,
  refundOrder,
  setProductShelf,
  shipOrder,
  stopFlashSale,
  stopGroupBuy,
  type ActivityRow,
  type OrderRow,
  type ProductRow,
  type StaffRow,
} from '../../services/ops'
import '../../components/ops.scss'

type Tab = 'products' | 'activities' | 'orders' | 'staff'

const TABS: [Tab, string][] = [
  ['products', '商品'],
  ['activities', '活动'],
  ['orders', '订单'],
  ['staff', '员工'],
]

const ORDER_FILTERS: [string, string][] = [
  ['', '全部'],
  ...(['paid', 'shipped', 'ready', 'refunding', 'completed'] as const).map((k): [string, string] => [
    k,
    ORDER_STATUS[k] ?? k,
  ]),
]

const REFUND_REASONS = ['顾客申请退款', '商品缺货', '门店无法履约', '其他原因']

// 商品上下架、秒杀/拼团停止、订单发货/备货/退款、员工名单（紧凑列表）
export default function OpsManagePage() {
  const { params } = useRouter()
  const [tab, setTab] = useState<Tab>((TABS.find(([k]) => k === params.tab)?.[0] as Tab | undefined) ?? 'products')
  const [products, setProducts] = useState<ProductRow[] | null>(null)
  const [activities, setActivities] = useState<{ flashSales: ActivityRow[]; groupBuys: ActivityRow[] } | null>(null)
  const [orderStatus, setOrderStatus] = useState('')
  const [orders, setOrders] = useState<OrderRow[] | null>(null)
  const [staff, setStaff] = useState<StaffRow[] | null>(null)
  const [busyId, setBusyId] = useState<string | null>(null)
  const stores = useStores()

  const load = useCallback(
    async (t: Tab = tab, status: string = orderStatus) => {
      const show = <T,>(
        res: { ok: true; data: T } | { ok: false; error: { message: string } },
        set: (d: T) => void,
      ) => {
        if (res.ok) set(res.data)
        else toast(res.error.message)
      }
      if (t === 'products') show(await listProducts(), (d) => setProducts(d.products))
      if (t === 'activities') show(await listActivities(), setActivities)
      if (t === 'orders') show(await listOrders(status || undefined), (d) => setOrders(d.orders))
      if (t === 'staff') show(await listStaff(), (d) => setStaff(d.staff))
    },
    [tab, orderStatus],
  )

  useDidShow(() => {
    void load()
  })

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  const switchTab = (t: Tab) => {
    setTab(t)
    void load(t)
  }

  const run = async (id: string, fn: () => Promise<{ ok: boolean; error?: { message: string } }>, done: string) => {
    if (busyId) return
    setBusyId(id)
    const res = await fn()
    setBusyId(null)
    if (!res.ok) toast(res.error?.message ?? '操作失败')
    else toast(done)
    void load()
  }

  const toggleShelf = (p: ProductRow, onShelf: boolean) => {
    setProducts((list) => list?.map((x) => (x._id === p._id ? { ...x, onShelf } : x)) ?? null)
    void run(p._id, () => setProductShelf(p._id, onShelf), onShelf ? '已上架' : '已下架')
  }

  const stopActivity = async (kind: 'flash' | 'group', a: ActivityRow) => {
    if (!(await confirm('停止活动', `确定停止「${a.title}」？停止后顾客无法再参与`, '停止'))) return
    void run(a._id, () => (kind === 'flash' ? stopFlashSale(a._id) : stopGroupBuy(a._id)), '活动已停止')
  }

  const refund = async (o: OrderRow) => {
    try {
      const res = await Taro.showActionSheet({ itemList: REFUND_REASONS, itemColor: '#1a1a1a' })
      const reason = REFUND_REASONS[res.tapIndex]
      if (!reason) return
      if (!(await confirm('确认退款', `订单 ${o._id} 退款 ${yuan(o.payAmount)}，原因：${reason}`, '退款'))) return
      void run(o._id, () => refundOrder(o._id, reason), '已提交退款')
    } catch {
      // 取消
    }
  }

  const activityRow = (kind: 'flash' | 'group', a: ActivityRow) => (
    <View key={a._id} className="op-row activity-row" data-id={a._id}>
      <View className="op-row__main">
        <Text className="op-row__title">{a.title}</Text>
        <Text className="op-row__sub">
          {'groupSize' in a
            ? `${a.groupSize} 人团 ${yuan(a.price)}`
            : `秒杀价 ${yuan(a.price)} · 剩余 ${a.stock}/${a.total}`}
        </Text>
        <Text className="op-row__sub">
          {shanghaiDateTime(a.startAt)} ~ {shanghaiDateTime(a.endAt)}
        </Text>
      </View>
      <View className="op-row__side">
        {a.status === 'stopped' ? (
          <Text className="op-status">已停止</Text>
        ) : (
          <Button size="mini" loading={busyId === a._id} onClick={() => void stopActivity(kind, a)}>
            停止
          </Button>
        )}
      </View>
    </View>
  )

  return (
    <View className="page">
      <View className="op-tabs">
        {TABS.map(([k, label]) => (
          <View
            key={k}
            id={`manage-tab-${k}`}
            className={`op-tab${tab === k ? ' op-tab--on' : ''}`}
            onClick={() => switchTab(k)}
          >
            {label}
          </View>
        ))}
      </View>

      {tab === 'products' && (
        <View className="op-card">
          {products === null && <Text className="op-muted">加载中…</Text>}
          {products?.map((p) => (
            <View key={p._id} className="op-row product-row" data-id={p._id}>
              <View className="op-row__main">
                <Text className="op-row__title">{p.name}</Text>
                <Text className="op-row__sub">
                  {p.price !== undefined ? `${yuan(p.price)} · ` : ''}
                  {p.stock !== undefined ? `库存 ${p.stock} · ` : ''}
                  {p.onShelf ? '在售' : '已下架'}
                </Text>
              </View>
              <Switch checked={p.onShelf} disabled={busyId === p._id} onChange={(v) => toggleShelf(p, v)} />
            </View>
          ))}
        </View>
      )}

      {tab === 'activities' && (
        <>
          <View className="op-card">
            <Text className="op-card__title">限时秒杀</Text>
            {activities?.flashSales.length === 0 && <Text className="op-muted">暂无</Text>}
            {activities?.flashSales.map((a) => activityRow('flash', a))}
          </View>
          <View className="op-card">
            <Text className="op-card__title">拼团</Text>
            {activities?.groupBuys.length === 0 && <Text className="op-muted">暂无</Text>}
            {activities?.groupBuys.map((a) => activityRow('group', a))}
          </View>
        </>
      )}

      {tab === 'orders' && (
        <View className="op-card">
          <View className="op-chips">
            {ORDER_FILTERS.map(([s, label]) => (
              <View
                key={s || 'all'}
                className={`op-chip${orderStatus === s ? ' op-chip--on' : ''}`}
                onClick={() => {
                  setOrderStatus(s)
                  setOrders(null)
                  void load('orders', s)
                }}
              >
                {label}
              </View>
            ))}
          </View>
          {orders === null && <Text className="op-muted">加载中…</Text>}
          {orders?.length === 0 && <Text className="op-empty">暂无订单</Text>}
          {orders?.map((o) => (
            <View key={o._id} className="op-row order-row" data-id={o._id}>
              <View className="op-row__main">
                <Text className="op-row__title">{o.lines.map((l) => `${l.name}×${l.qty}`).join('、')}</Text>
                <Text className="op-row__sub">
                  {yuan(o.payAmount)} · {ORDER_STATUS[o.status] ?? o.status} ·{' '}
                  {o.fulfilment === 'delivery' ? '快递' : '自提'}
                  {o.channel === 'store' ? ' · 门店' : ''}
                </Text>
                <Text className="op-row__sub">
                  {o._id} · {shanghaiDateTime(o.createdAt)}
                </Text>
              </View>
              <View className="op-row__side op-row__side--col">
                {canTransition(o.status, 'ship') && o.fulfilment === 'delivery' && (
                  <Button
                    size="mini"
                    type="primary"
                    loading={busyId === o._id}
                    onClick={() => void run(o._id, () => shipOrder(o._id), '已发货')}
                  >
                    发货
                  </Button>
                )}
                {canTransition(o.status, 'ready') && o.fulfilment !== 'delivery' && (
                  <Button
                    size="mini"
                    type="primary"
                    loading={busyId === o._id}
                    onClick={() => void run(o._id, () => readyForPickup(o._id), '已通知自提')}
                  >
                    备货完成
                  </Button>
                )}
                {refundableBy(o, 'operator') && (
                  <Button size="mini" onClick={() => void refund(o)}>
                    退款
                  </Button>
                )}
              </View>
            </View>
          ))}
        </View>
      )}

      {tab === 'staff' && (
        <View className="op-card">
          {staff === null && <Text className="op-muted">加载中…</Text>}
          {staff?.map((s) => (
            <View key={s._id} className="op-row staff-row" data-id={s._id}>
              <View className="op-row__main">
                <Text className="op-row__title">{s.name}</Text>
                <Text className="op-row__sub">
                  {s.role === 'guide' ? `导购 · ${storeName(stores, s.storeId)}` : '品牌运营'} · {s.openid}
                </Text>
              </View>
              <Text className={`op-status${s.active ? ' op-status--active' : ''}`}>{s.active ? '在职' : '已停用'}</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  )
}
