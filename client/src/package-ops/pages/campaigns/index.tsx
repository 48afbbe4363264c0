import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import { go } from '@/utils/ui'
import {
  CAMPAIGN_STATUS,
  kindText,
  listCampaigns,
  OPS,
  scheduleText,
  segmentText,
  useSegmentNames,
} from '../../services/ops'
import '../../components/ops.scss'

// 营销活动列表：状态、人群、时间、最近一次发送的触达数；点进查看效果
export default function OpsCampaignsPage() {
  const names = useSegmentNames()
  const { data, error, load } = useCloudData(listCampaigns)
  const list = data?.campaigns ?? null

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (error && !list) return <LoadError idPrefix="campaigns" error={error} onRetry={load} />

  return (
    <View className="page">
      <View className="op-card">
        <View id="campaign-new">
          <Button type="primary" block onClick={() => go(`${OPS}/campaign-edit/index`)}>
            新建营销活动
          </Button>
        </View>
      </View>
      <View className="op-card">
        {list === null && <Text className="op-muted">加载中…</Text>}
        {list?.length === 0 && <Text className="op-empty">还没有营销活动</Text>}
        {list?.map((c) => {
          const run = c.runs[0]
          return (
            <View
              key={c._id}
              className="op-row campaign-row"
              data-id={c._id}
              onClick={() => go(`${OPS}/campaign/index?id=${c._id}`)}
            >
              <View className="op-row__main">
                <Text className="op-row__title">{c.name}</Text>
                <Text className="op-row__sub">
                  {kindText(c.kind)} · {scheduleText(c.schedule)} ·{' '}
                  {c.segment ? segmentText(c.segment, names) : c.summary || '全部会员'}
                </Text>
                {run && (
                  <Text className="op-row__sub">
                    最近发送：触达 {run.counts.touched} · 对照 {run.counts.holdout} · 发券 {run.counts.coupons} · 消息{' '}
                    {run.counts.messages}
                  </Text>
                )}
              </View>
              <View className="op-row__side">
                <Text className={`op-status op-status--${c.status}`}>{CAMPAIGN_STATUS[c.status] ?? c.status}</Text>
              </View>
            </View>
          )
        })}
      </View>
    </View>
  )
}
