import * as cloud from 'wx-server-sdk';
import { AppError } from '../lib/errors';
import { refund, unifiedOrder } from './payments';

// The SDK is replaced whatever module jest maps 'wx-server-sdk' to: only cloudPay and getWXContext matter.
jest.mock('wx-server-sdk', () => ({
  DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
  getWXContext: jest.fn(),
  cloudPay: { unifiedOrder: jest.fn(), refund: jest.fn() },
}));

const sdk = cloud as unknown as {
  getWXContext: jest.Mock;
  cloudPay: { unifiedOrder: jest.Mock; refund: jest.Mock };
};
const payment = {
  appId: 'wx1',
  timeStamp: '1',
  nonceStr: 'n',
  package: 'prepay_id=wx9',
  signType: 'MD5',
  paySign: 'p',
};

beforeEach(() => {
  jest.resetAllMocks();
  sdk.getWXContext.mockReturnValue({ ENV: 'prod-7g3x', CLIENTIP: '10.1.2.3', OPENID: 'o1' });
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

describe('unifiedOrder', () => {
  const order = { outTradeNo: 'OD1', totalFee: 990, body: '拾光咖啡-冰美式', openid: 'o1' };

  it('names env (getWXContext().ENV, a string: it survives JSON), callback function, sub-merchant', async () => {
    sdk.cloudPay.unifiedOrder.mockResolvedValue({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', payment });
    await expect(unifiedOrder({ ...order, expiresAt: Date.UTC(2026, 10, 25, 2, 15, 0) })).resolves.toEqual(payment);
    const sent = sdk.cloudPay.unifiedOrder.mock.calls[0][0];
    expect(sent).toMatchObject({
      envId: 'prod-7g3x',
      functionName: 'pay',
      outTradeNo: 'OD1',
      totalFee: 990,
      tradeType: 'JSAPI',
      openid: 'o1',
      spbillCreateIp: '10.1.2.3',
      timeExpire: '20261125101500',
    });
    expect(typeof sent.subMchId).toBe('string');
    expect(typeof sent.nonceStr).toBe('string');
    // What wx-server-sdk really sends is JSON: every field must survive it.
    expect(JSON.parse(JSON.stringify(sent))).toEqual(sent);
  });

  it.each([
    [{ returnCode: 'FAIL', returnMsg: '签名错误' }],
    [{ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '该订单已支付' }],
    [{ returnCode: 'SUCCESS', resultCode: 'SUCCESS' }],
  ])('refuses with PAY_FAILED when WeChat does not say SUCCESS twice with a payment: %p', async (answer) => {
    sdk.cloudPay.unifiedOrder.mockResolvedValue(answer);
    const e = await unifiedOrder({ ...order, failMessage: '发起支付失败' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'PAY_FAILED', message: '发起支付失败' });
  });

  it('a failed call is PAY_FAILED too, and no env means no call', async () => {
    sdk.cloudPay.unifiedOrder.mockRejectedValue(new Error('cloudPay.unifiedOrder:fail timeout'));
    await expect(unifiedOrder(order)).rejects.toMatchObject({ code: 'PAY_FAILED' });
    sdk.getWXContext.mockReturnValue({});
    sdk.cloudPay.unifiedOrder.mockClear();
    await expect(unifiedOrder(order)).rejects.toMatchObject({ code: 'PAY_FAILED' });
    expect(sdk.cloudPay.unifiedOrder).not.toHaveBeenCalled();
  });
});

describe('refund', () => {
  const r = { outTradeNo: 'OD1', outRefundNo: 'RF1', totalFee: 990, refundFee: 990 };

  it('the same env, function and sub-merchant; ok when WeChat says SUCCESS twice', async () => {
    sdk.cloudPay.refund.mockResolvedValue({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundId: '50x' });
    await expect(refund(r)).resolves.toEqual({ ok: true, refundId: '50x' });
    expect(sdk.cloudPay.refund.mock.calls[0][0]).toMatchObject({ envId: 'prod-7g3x', functionName: 'pay', ...r });
  });

  it('never throws: a refusal or a failed call is an outcome to retry', async () => {
    sdk.cloudPay.refund.mockResolvedValue({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '系统超时' });
    await expect(refund(r)).resolves.toEqual({ ok: false, error: '系统超时' });
    sdk.cloudPay.refund.mockRejectedValue(Object.assign(new Error('x'), { errMsg: 'cloudPay.refund:fail network' }));
    await expect(refund(r)).resolves.toEqual({ ok: false, error: 'cloudPay.refund:fail network' });
  });
});
