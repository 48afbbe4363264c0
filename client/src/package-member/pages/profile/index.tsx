import { useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import MemberAvatar from '@/components/MemberAvatar'
import { bindPhone, fetchMe, updateProfile, type Gender, type Member, type ProfilePatch } from '@/services/member'
import { shanghaiDateTime, shanghaiToday } from '@/utils/format'
import { alertModal, confirm, toast } from '@/utils/ui'
import './index.scss'

const GENDERS: { value: Gender; label: string }[] = [
  { value: 'male', label: '男' },
  { value: 'female', label: '女' },
  { value: 'unknown', label: '保密' },
]

const isWeapp = process.env.TARO_ENV === 'weapp'

interface Form {
  nickname: string
  gender: Gender
  birthday: string
  city: string
}

function formOf(m: Member): Form {
  return { nickname: m.nickname, gender: m.gender, birthday: m.birthday ?? '', city: m.city }
}

// 个人资料：昵称、性别、生日（设置后锁定）、城市；绑定手机号（weapp 微信授权 / h5 沙箱输入）
export default function ProfilePage() {
  const [form, setForm] = useState<Form | null>(null)
  const { data, error, load } = useCloudData(fetchMe, (d) => setForm(formOf(d.member)))
  const member = data?.member ?? null
  const [saving, setSaving] = useState(false)
  const [phone, setPhone] = useState('')
  const [binding, setBinding] = useState(false)

  const patchForm = (p: Partial<Form>) => setForm((f) => (f ? { ...f, ...p } : f))

  const save = async () => {
    if (!member || !form || saving) return
    const patch: ProfilePatch = {}
    const nickname = form.nickname.trim()
    if (nickname !== member.nickname) {
      if (nickname.length < 1 || nickname.length > 20) {
        toast('昵称需为 1–20 个字')
        return
      }
      patch.nickname = nickname
    }
    if (form.gender !== member.gender) patch.gender = form.gender
    const city = form.city.trim()
    if (city !== member.city) {
      if (city.length > 20) {
        toast('城市名称过长')
        return
      }
      patch.city = city
    }
    if (!member.birthday && form.birthday) {
      const ok = await confirm('确认生日', `生日设置为 ${form.birthday}，设置后不可修改，确认保存？`, '确认')
      if (!ok) return
      patch.birthday = form.birthday
    }
    if (Object.keys(patch).length === 0) {
      toast('资料未修改')
      return
    }
    setSaving(true)
    const res = await updateProfile(patch)
    setSaving(false)
    if (!res.ok) {
      toast(res.error.message)
      if (res.error.code === 'BIRTHDAY_LOCKED') void load()
      return
    }
    toast('保存成功', 'success')
    void load()
  }

  const doBind = async (code: string) => {
    setBinding(true)
    const res = await bindPhone(code)
    setBinding(false)
    if (!res.ok) {
      toast(res.error.message)
      return
    }
    if (res.data.merged) {
      await alertModal('绑定成功', '已关联您在门店的会员账户，积分、储值、成长值、优惠券与订单已合并')
    } else {
      toast(res.data.referralRewarded ? '绑定成功，邀请奖励积分已到账' : '绑定成功', 'success')
    }
    setPhone('')
    void load()
  }

  const bindH5 = () => {
    const p = phone.trim()
    if (!/^1\d{10}$/.test(p)) {
      toast('请输入 11 位手机号')
      return
    }
    void doBind(`sandbox:${p}`)
  }

  if (error && !member) return <LoadError idPrefix="profile" error={error} onRetry={load} />
  if (!member || !form) return <View className="page" />

  const genderIndex = Math.max(
    0,
    GENDERS.findIndex((g) => g.value === form.gender),
  )
  const birthdayLocked = Boolean(member.birthday)
  return (
    <View className="page profile-page">
      <View className="pf-head">
        <MemberAvatar src={member.avatar} nickname={member.nickname} size={128} />
        <Text className="pf-head__since">{shanghaiDateTime(member.joinedAt).slice(0, 10)} 加入会员</Text>
      </View>

      <View className="pf-box">
        <View className="pf-row">
          <Text className="pf-row__label">昵称</Text>
          <Input
            id="profile-nickname"
            className="pf-row__input"
            type={isWeapp ? 'nickname' : 'text'}
            value={form.nickname}
            maxlength={20}
            placeholder="请输入昵称"
            onInput={(e) => patchForm({ nickname: e.detail.value })}
            onBlur={(e) => patchForm({ nickname: e.detail.value })}
          />
        </View>
        <Picker
          mode="selector"
          range={GENDERS.map((g) => g.label)}
          value={genderIndex}
          onChange={(e) => patchForm({ gender: GENDERS[Number(e.detail.value)]?.value ?? 'unknown' })}
        >
          <View className="pf-row" id="profile-gender">
            <Text className="pf-row__label">性别</Text>
            <Text className="pf-row__value">{GENDERS[genderIndex]?.label}</Text>
            <Text className="pf-row__arrow">›</Text>
          </View>
        </Picker>
        {birthdayLocked ? (
          <View className="pf-row" id="profile-birthday">
            <Text className="pf-row__label">生日</Text>
            <Text className="pf-row__value">{member.birthday}</Text>
            <Text className="pf-row__lock">不可修改</Text>
          </View>
        ) : (
          <Picker
            mode="date"
            value={form.birthday || '1995-01-01'}
            start="1900-01-01"
            end={shanghaiToday()}
            onChange={(e) => patchForm({ birthday: String(e.detail.value) })}
          >
            <View className="pf-row" id="profile-birthday">
              <Text className="pf-row__label">生日</Text>
              <Text className={`pf-row__value${form.birthday ? '' : ' pf-row__value--placeholder'}`}>
                {form.birthday || '设置生日，生日当月享好礼'}
              </Text>
              <Text className="pf-row__arrow">›</Text>
            </View>
          </Picker>
        )}
        <View className="pf-row">
          <Text className="pf-row__label">城市</Text>
          <Input
            id="profile-city"
            className="pf-row__input"
            value={form.city}
            maxlength={20}
            placeholder="请输入所在城市"
            onInput={(e) => patchForm({ city: e.detail.value })}
          />
        </View>
      </View>
      {!birthdayLocked && <Text className="pf-tip">生日仅可设置一次，设置后如需修改请联系客服</Text>}

      <View className="pf-action">
        <Button
          id="profile-save"
          type="primary"
          shape="round"
          size="large"
          block
          loading={saving}
          onClick={() => void save()}
        >
          保存
        </Button>
      </View>

      <View className="pf-box">
        <View className="pf-row">
          <Text className="pf-row__label">手机号</Text>
          {member.phoneBound ? (
            <Text className="pf-row__value" id="profile-phone-bound">
              已绑定
            </Text>
          ) : isWeapp ? (
            <View className="pf-row__value">
              <Button
                size="small"
                type="primary"
                shape="round"
                openType="getPhoneNumber"
                loading={binding}
                onGetPhoneNumber={(e) => {
                  const code = e.detail.code
                  if (code) void doBind(code)
                  else toast('已取消授权')
                }}
              >
                微信一键绑定
              </Button>
            </View>
          ) : (
            <View className="pf-row__bind">
              <Input
                id="phone-input"
                className="pf-row__input"
                type="number"
                maxlength={11}
                value={phone}
                placeholder="请输入手机号"
                onInput={(e) => setPhone(e.detail.value)}
              />
              <Button id="bind-phone-btn" size="small" type="primary" shape="round" loading={binding} onClick={bindH5}>
                绑定
              </Button>
            </View>
          )}
        </View>
      </View>
      {!member.phoneBound && <Text className="pf-tip">绑定手机号后，门店消费积分与储值将自动合并到此账户</Text>}
    </View>
  )
}
