// The closed catalogue of error codes a client may see, each with its Chinese message. Clients switch on the
// codes; the cloud answers with the message unless a handler names a more precise one (e.g. which store is
// missing). Refusal tables of the domain (coupon use and claim, refunds) are part of it, declared beside their
// rules. Imported by the client (the `@cloud` alias), so no text is written twice.
import { COUPON_USE_TEXT } from './coupon-rules';
import { COUPON_REFUSAL_TEXT } from './coupons';
import { REFUND_REFUSAL_TEXT } from './orders';

/** Every error code, with the message a consumer sees. */
export const ERROR_TEXT = {
  // Any action
  INVALID_ARGUMENT: '参数有误',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '数据不存在',
  // A transaction that kept conflicting with others (store/transaction.ts): a busy moment, worth retrying.
  CONFLICT: '当前参与人数较多，请稍后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INTERNAL: '服务繁忙，请稍后再试',
  /** The client's own: the call never reached the cloud or its answer was not an envelope. */
  NETWORK_ERROR: '网络异常，请稍后重试',
  // Members, check-in, points, stored value
  MEMBER_NOT_FOUND: '会员不存在',
  ALREADY_CHECKED_IN: '今天已经签到过了',
  MAKEUP_DISABLED: '暂未开放补签',
  MAKEUP_NOT_ALLOWED: '该日期不能补签',
  BIRTHDAY_LOCKED: '生日设置后不能修改',
  PHONE_CODE_INVALID: '手机号授权已失效，请重新授权',
  INSUFFICIENT_POINTS: '积分不足',
  INSUFFICIENT_BALANCE: '储值余额不足',
  INVALID_POINTS: '积分数量无效',
  ITEM_OFF_SHELF: '商品已下架',
  LIMIT_REACHED: '已达兑换上限',
  // Shop, activities, orders
  PRODUCT_OFF_SHELF: '商品已下架',
  SOLD_OUT: '已售罄',
  LIMIT_EXCEEDED: '超过限购数量',
  FLASH_NOT_STARTED: '秒杀尚未开始',
  FLASH_ENDED: '秒杀已结束',
  FLASH_ALREADY_STARTED: '秒杀已开始，不能修改，可先停止',
  GROUP_NOT_STARTED: '拼团尚未开始',
  GROUP_ENDED: '拼团活动已结束',
  GROUP_NOT_OPEN: '该团暂不可加入',
  GROUP_EXPIRED: '该团已过期',
  GROUP_FULL: '该团已满员',
  ALREADY_IN_GROUP: '你已在团中',
  PAY_FAILED: '支付下单失败，请稍后重试',
  ORDER_NOT_PAYABLE: '订单当前不可支付',
  ORDER_NOT_CANCELLABLE: '订单当前不可取消',
  ORDER_NOT_SHIPPABLE: '订单当前不可发货',
  ORDER_NOT_COMPLETABLE: '订单当前不可确认完成',
  ...REFUND_REFUSAL_TEXT,
  ...COUPON_USE_TEXT,
  ...COUPON_REFUSAL_TEXT,
  // Guides and the till
  MEMBER_CODE_INVALID: '会员码无效，请让顾客刷新后重试',
  MEMBER_CODE_EXPIRED: '会员码已过期，请让顾客刷新后重试',
  MEMBER_CODE_USED: '该会员码已用于记录消费，请让顾客刷新会员码后重新出示',
  NOT_STORE_CUSTOMER: '该顾客不属于本门店，不能记录门店消费',
  PURCHASE_OVER_LIMIT: '单笔门店消费超过上限，请核对金额或联系运营',
  RECEIPT_DUPLICATE: '该小票号已登记过一笔消费，请核对小票号',
  ALREADY_REVERSED: '该笔消费已撤销',
  // Campaigns and referrals
  CAMPAIGN_NOT_EDITABLE: '只有草稿状态的活动可以修改',
  CAMPAIGN_ALREADY_LAUNCHED: '活动已发起',
  SELF_INVITE: '不能邀请自己',
  ALREADY_INVITED: '你已接受过邀请',
  NOT_NEW_MEMBER: '仅限新会员接受邀请',
  INVITER_NOT_FOUND: '邀请人不存在',
  REFERRAL_LOOP: '不能互相邀请',
} as const;

/** A stable error code (closed: a code outside the catalogue does not compile). */
export type ErrorCode = keyof typeof ERROR_TEXT;

/** The message of `code`, or the generic one for a code this client does not know (an older build). */
export const errorText = (code: string): string => (ERROR_TEXT as Record<string, string>)[code] ?? ERROR_TEXT.INTERNAL;
