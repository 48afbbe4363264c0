import { describe, expect, it } from '@jest/globals'
import {
  fenFromYuan,
  monthDayLabel,
  monthLabel,
  percent,
  shanghaiDateTime,
  signed,
  signedYuan,
  yuan,
  yuanShort,
} from './format'
import { stageText, tagText } from './crm'

describe('money and numbers', () => {
  it('formats fen as yuan with two decimals, in integers', () => {
    expect(yuan(1230)).toBe('¥12.30')
    expect(yuan(5)).toBe('¥0.05')
    expect(yuan(-1230)).toBe('-¥12.30')
    expect(yuan(Number.NaN)).toBe('¥0.00')
    expect(signedYuan(10000)).toBe('+¥100.00')
    expect(signedYuan(-5)).toBe('-¥0.05')
    expect(yuanShort(10000)).toBe('100')
    expect(yuanShort(50)).toBe('0.50')
  })
  it('reads what an operator types as yuan into fen, refusing anything else', () => {
    expect(fenFromYuan('12')).toBe(1200)
    expect(fenFromYuan(' 12.5 ')).toBe(1250)
    expect(fenFromYuan('12.30')).toBe(1230)
    expect(fenFromYuan('0.01')).toBe(1)
    for (const bad of ['', '0', '0.00', '-1', '12.345', '1e3', '12,5', '¥12', '12345678'])
      expect(fenFromYuan(bad)).toBeNull()
  })
  it('signs counts and shows rates as percentages', () => {
    expect([signed(5), signed(-20), signed(0)]).toEqual(['+5', '-20', '0'])
    expect(percent(0.3204)).toBe('32.0%')
    expect(percent(0.5, 0)).toBe('50%')
  })
})

describe('Shanghai dates', () => {
  it('shows instants in Shanghai time, whatever the machine zone', () => {
    // 2026-11-30 16:30 UTC is already 1 December in Shanghai.
    expect(shanghaiDateTime(Date.UTC(2026, 10, 30, 16, 30))).toBe('2026-12-01 00:30')
    expect(monthDayLabel('2026-11-05')).toBe('11月5日')
    expect(monthLabel('2026-03')).toBe('2026年3月')
  })
})

describe('labels from the domain', () => {
  it('names stages and tags in Chinese, with a dash for no stage', () => {
    expect(stageText(undefined)).toBe('--')
    expect(stageText('nonexistent')).toBe('--')
    expect(stageText('first_order')).toBe('首单客')
    expect(tagText('bought:cat_beans', { cat_beans: '咖啡豆' })).toBe('买过：咖啡豆')
    // A tag naming an unknown category keeps its id rather than inventing a name.
    expect(tagText('interest:cat_x')).toBe('偏好：cat_x')
  })
})
