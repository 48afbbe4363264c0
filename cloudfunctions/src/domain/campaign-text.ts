// Campaign labels and default send rules for the console, apart from domain/campaigns.ts (which uses Node's
// crypto) so that the client can import them through the `@cloud` alias.
import type { Campaign, CampaignRun } from './campaigns';

/** Campaign kinds in Chinese (the console's picker and lists). */
export const CAMPAIGN_KIND_TEXT: Record<Campaign['kind'], string> = {
  recall: '流失召回',
  birthday: '生日关怀',
  member_day: '会员日',
  node: '节日营销',
  custom: '自定义',
};
/** Campaign states in Chinese. */
export const CAMPAIGN_STATUS_TEXT: Record<Campaign['status'], string> = {
  draft: '草稿',
  active: '进行中',
  stopped: '已停止',
};
/** Run states in Chinese. */
export const RUN_STATUS_TEXT: Record<CampaignRun['status'], string> = {
  running: '发送中',
  paused: '待续发',
  done: '已完成',
  stopped: '已停止',
};
/** Why a run stopped, in Chinese. */
export const STOP_REASON_TEXT: Record<'BUDGET_EXHAUSTED' | 'COUPON_ENDED' | 'STOPPED', string> = {
  BUDGET_EXHAUSTED: '券预算已用完',
  COUPON_ENDED: '券已停发或过期',
  STOPPED: '运营停止',
};
/** What happened to a member in a run (campaign_touches.status), in Chinese. */
export const TOUCH_STATUS_TEXT: Record<'touched' | 'holdout' | 'skipped' | 'not_sent' | 'pending', string> = {
  touched: '已触达',
  holdout: '对照组',
  skipped: '已跳过',
  not_sent: '未送达',
  pending: '待发送',
};

/** A campaign as the operator configures it. */
export interface CampaignConfig {
  holdoutPercent: number;
  frequencyCapDays: number;
  quietHours: { start: number; end: number };
  conversionDays: number;
}

/** Defaults: 10% holdout, 1 marketing touch per 3 days, quiet 22:00–08:00 Shanghai, 7-day conversion. */
export const DEFAULT_CAMPAIGN_CONFIG: CampaignConfig = {
  holdoutPercent: 10,
  frequencyCapDays: 3,
  quietHours: { start: 22, end: 8 },
  conversionDays: 7,
};
