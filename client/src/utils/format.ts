// 展示格式的唯一出处：金额（分 → ¥12.30）、积分增减、上海时区的日期时间

import { formatShanghai, shanghaiDay } from '@cloud/domain/time'

// 分 → ¥12.30（负数为 -¥12.30；整数运算，避免浮点误差）
export function yuan(fen: number): string {
  const n = Math.round(Number(fen) || 0)
  const abs = Math.abs(n)
  return `${n < 0 ? '-' : ''}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

// 分 → 不带符号的元，整元不带小数（用于套餐面额：100 / 0.5）
export function yuanShort(fen: number): string {
  const n = Math.round(Number(fen) || 0)
  return n % 100 === 0 ? String(n / 100) : (n / 100).toFixed(2)
}

// 带正负号的数值：+5 / −20
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `-${Math.abs(n)}` : '0'
}

// 带正负号的金额：+¥100.00 / -¥12.30
export function signedYuan(fen: number): string {
  return fen > 0 ? `+${yuan(fen)}` : yuan(fen)
}

// 上海时区的日历运算只有一处：云函数与客户端共用 cloudfunctions/src/domain/time.ts（dayjs）
export { addDays, addMonths, dayStart, daysBetween, monthLayout, shanghaiAt, shanghaiDay } from '@cloud/domain/time'

// 上海日期时间 YYYY-MM-DD HH:mm
export function shanghaiDateTime(ms: number): string {
  return formatShanghai(ms, 'YYYY-MM-DD HH:mm')
}

// 今天（上海）
export function shanghaiToday(): string {
  return shanghaiDay(Date.now())
}

// 'YYYY-MM-DD' → '11月20日'
export function monthDayLabel(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
}

// 'YYYY-MM' → '2026年11月'
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`
}

// 输入的元（最多两位小数，如 "12" / "12.5" / "12.30"）→ 分；无效或非正数返回 null
export function fenFromYuan(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(text.trim())
  if (!m) return null
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || 0)
  return fen > 0 ? fen : null
}

// 比例 → 百分比文本（0.3204 → "32.0%"）
export function percent(rate: number, digits = 1): string {
  return `${((Number(rate) || 0) * 100).toFixed(digits)}%`
}
