import { Text, View } from '@tarojs/components'
import { Tag } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import MemberAvatar from '@/components/MemberAvatar'
import { fetchTiers, tierHint, tierProgress } from '@/services/member'
import '@/styles/tier.scss'
import './index.scss'

// 会员等级：当前等级与升级进度、全部等级（门槛、保级值、权益，当前高亮）、等级规则
export default function TierPage() {
  const { data, error, load } = useCloudData(fetchTiers)

  if (error && !data) return <LoadError idPrefix="tier" error={error} onRetry={load} />
  if (!data) return <View className="page" />

  const { member: m, tiers, rules } = data
  const current = tiers.find((t) => t._id === m.tierId)
  const progress = tierProgress(m, current?.threshold ?? 0)
  return (
    <View className="page tier-page">
      <View className={`tr-card tier-theme--${Math.min(m.tierLevel, 3)}`}>
        <View className="tr-card__head">
          <MemberAvatar src={m.avatar} nickname={m.nickname} size={88} />
          <View className="tr-card__who">
            <Text className="tr-card__tier" id="tier-current">
              {m.tierName}
            </Text>
            <Text className="tr-card__growth">当前成长值 {m.growth}</Text>
          </View>
        </View>
        <View className="tr-card__progress">
          <View className="tier-progress">
            <View className="tier-progress__bar" style={{ width: `${progress}%` }} />
          </View>
          <Text className="tr-card__hint">{tierHint(m)}</Text>
        </View>
      </View>

      <Text className="tr-section">等级权益</Text>
      {tiers.map((t) => {
        const isCurrent = t._id === m.tierId
        const reached = t.level <= m.tierLevel
        return (
          <View key={t._id} id={`tier-${t._id}`} className={`tr-item${isCurrent ? ' tr-item--current' : ''}`}>
            <View className="tr-item__head">
              <View className={`tr-item__dot tier-theme--${Math.min(t.level, 3)}`}>{t.level}</View>
              <Text className="tr-item__name">{t.name}</Text>
              {isCurrent ? (
                <Tag type="danger">当前等级</Tag>
              ) : reached ? (
                <Tag type="default">已达成</Tag>
              ) : (
                <Tag type="warning">还差 {Math.max(0, t.threshold - m.growth)} 成长值</Tag>
              )}
            </View>
            <Text className="tr-item__meta">
              {t.threshold > 0 ? `成长值满 ${t.threshold} 升级` : '注册即享'}
              {t.level > 0 ? ` · 保级需 ${t.keepThreshold}` : ''}
            </Text>
            <View className="tr-item__benefits">
              {t.benefits.map((b) => (
                <Text key={b} className="tr-item__benefit">
                  {b}
                </Text>
              ))}
            </View>
          </View>
        )
      })}

      <View className="tr-rules">
        <Text className="tr-rules__title">等级规则</Text>
        {rules.map((r, i) => (
          <Text key={r} className="tr-rules__item">
            {i + 1}. {r}
          </Text>
        ))}
      </View>
    </View>
  )
}
