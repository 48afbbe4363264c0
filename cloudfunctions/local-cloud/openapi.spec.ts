// The openapi sandbox: subscribe-message quota, QR codes, cloud pay callbacks and refunds.
import { Engine } from './db/engine';
import { SANDBOX, createSandbox } from './openapi';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Call = { name: string; event: Any };

function setup() {
  const engine = new Engine();
  const calls: Call[] = [];
  const sandbox = createSandbox(engine, async (name, event) => { calls.push({ name, event }); return { errcode: 0 }; });
  return { engine, sandbox, calls };
}
const flush = () => new Promise((r) => setImmediate(r));
const msg = { touser: 'u1', templateId: 'T_ORDER', page: 'pages/index/index', data: { thing1: { value: '订单已发货' } } };

describe('subscribeMessage.send', () => {
  test('refuses with 43101 without quota, and nothing reaches the outbox', async () => {
    const { engine, sandbox } = setup();
    await expect(sandbox.openapi.subscribeMessage.send(msg)).rejects.toMatchObject({ errCode: 43101 });
    expect(engine.find(SANDBOX.outbox, {})).toEqual([]);
  });

  test('succeeds after grantSubscription, consumes exactly one send, and the outbox gets the message', async () => {
    const { engine, sandbox } = setup();
    expect(sandbox.grantSubscription('u1', 'T_ORDER')).toBe(1);
    const r = await sandbox.openapi.subscribeMessage.send(msg);
    expect(r).toMatchObject({ errCode: 0 });
    await expect(sandbox.openapi.subscribeMessage.send(msg)).rejects.toMatchObject({ errCode: 43101 });
    const outbox = engine.find(SANDBOX.outbox, {});
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ touser: 'u1', templateId: 'T_ORDER', data: { thing1: { value: '订单已发货' } } });
    // The stored key and the document's _id are the same (so the entry can be read or removed by _id).
    expect(engine.peek(SANDBOX.outbox, outbox[0]._id)).toMatchObject({ touser: 'u1' });
  });

  test('quota is per user and per template, and grants add up', async () => {
    const { engine, sandbox } = setup();
    sandbox.grantSubscription('u1', 'T_ORDER', 2);
    expect(sandbox.grantSubscription('u1', 'T_ORDER', 1)).toBe(3);
    await expect(sandbox.openapi.subscribeMessage.send({ ...msg, touser: 'u2' })).rejects.toMatchObject({ errCode: 43101 });
    await expect(sandbox.openapi.subscribeMessage.send({ ...msg, templateId: 'T_OTHER' })).rejects.toMatchObject({ errCode: 43101 });
    for (let i = 0; i < 3; i++) await sandbox.openapi.subscribeMessage.send(msg);
    await expect(sandbox.openapi.subscribeMessage.send(msg)).rejects.toMatchObject({ errCode: 43101 });
    expect(engine.find(SANDBOX.outbox, {})).toHaveLength(3);
  });

  test('bad arguments: no touser → 40003, no data → 47003', async () => {
    const { sandbox } = setup();
    sandbox.grantSubscription('u1', 'T_ORDER');
    await expect(sandbox.openapi.subscribeMessage.send({ ...msg, touser: '' })).rejects.toMatchObject({ errCode: 40003 });
    await expect(sandbox.openapi.subscribeMessage.send({ ...msg, data: undefined })).rejects.toMatchObject({ errCode: 47003 });
  });
});

describe('wxacode.getUnlimited', () => {
  test('returns a PNG buffer for a valid scene', async () => {
    const { sandbox } = setup();
    const r = (await sandbox.openapi.wxacode.getUnlimited({ scene: 'g=guide_1&s=store_2', page: 'pages/index/index' })) as Any;
    expect(r.contentType).toBe('image/png');
    expect(Buffer.isBuffer(r.buffer)).toBe(true);
    expect([...r.buffer.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(r.buffer.length).toBeGreaterThan(200);
  });

  test('accepts a 32-char scene and every allowed punctuation mark', async () => {
    const { sandbox } = setup();
    await expect(sandbox.openapi.wxacode.getUnlimited({ scene: 'a'.repeat(32) })).resolves.toMatchObject({ errCode: 0 });
    await expect(sandbox.openapi.wxacode.getUnlimited({ scene: "!#$&'()*+,/:;=?@-._~" })).resolves.toMatchObject({ errCode: 0 });
  });

  test.each([
    ['a'.repeat(33), '33 chars'],
    ['', 'empty'],
    ['a b', 'space'],
    ['中文', 'non-ASCII'],
    ['a%20b', 'percent'],
    ['a"b', 'quote'],
  ])('rejects scene %j (%s)', async (scene) => {
    const { sandbox } = setup();
    await expect(sandbox.openapi.wxacode.getUnlimited({ scene })).rejects.toMatchObject({ errCode: 40169 });
  });

  test('rejects a page with a leading slash', async () => {
    const { sandbox } = setup();
    await expect(sandbox.openapi.wxacode.getUnlimited({ scene: 'x', page: '/pages/index/index' })).rejects.toMatchObject({ errCode: 41030 });
  });
});

describe('cloudPay', () => {
  const order = { functionName: 'payCallback', envId: 'local', subMchId: '1900000109', nonceStr: 'n', body: '会员商城-订单', outTradeNo: 'ORD_001', totalFee: 2590, spbillCreateIp: '127.0.0.1' };

  async function paid(times = 1) {
    const s = setup();
    const u = (await s.sandbox.cloudPay.unifiedOrder(order)) as Any;
    expect(u).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' });
    expect(u.payment.package).toBe(`prepay_id=${u.prepayId}`);
    const confirmed = await s.sandbox.confirmPayment('ORD_001', { times, openid: 'u1' });
    return { ...s, confirmed };
  }

  test('unifiedOrder + confirmPayment calls the callback with the pay event fields, `times` times', async () => {
    const { calls, confirmed } = await paid(3);
    expect(calls).toHaveLength(3);
    for (const c of calls) {
      expect(c.name).toBe('payCallback');
      expect(c.event).toMatchObject({
        returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'ORD_001', transactionId: confirmed.transactionId,
        totalFee: 2590, subOpenid: 'u1',
      });
      expect(c.event.timeEnd).toMatch(/^\d{14}$/);
    }
    // Redeliveries carry the same payment (same transactionId and timeEnd): callbacks must be idempotent.
    expect(new Set(calls.map((c) => `${c.event.transactionId}|${c.event.timeEnd}`)).size).toBe(1);
    expect(confirmed.results).toEqual([{ errcode: 0 }, { errcode: 0 }, { errcode: 0 }]);
  });

  test('timeEnd is the Shanghai wall clock (yyyyMMddHHmmss)', async () => {
    const { calls } = await paid();
    const t = calls[0].event.timeEnd as string;
    const asUtc = Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10) - 8, +t.slice(10, 12), +t.slice(12, 14));
    expect(Math.abs(asUtc - Date.now())).toBeLessThan(5000);
  });

  test('unifiedOrder validates; a paid order cannot be ordered again', async () => {
    const { sandbox } = await paid();
    await expect(sandbox.cloudPay.unifiedOrder({ ...order, outTradeNo: 'X2', totalFee: 0 })).rejects.toBeDefined();
    await expect(sandbox.cloudPay.unifiedOrder({ ...order, outTradeNo: 'X3', totalFee: 1.5 })).rejects.toBeDefined();
    await expect(sandbox.cloudPay.unifiedOrder({ ...order, outTradeNo: 'bad no!' })).rejects.toBeDefined();
    await expect(sandbox.cloudPay.unifiedOrder({ ...order, outTradeNo: 'X4', functionName: undefined })).rejects.toBeDefined();
    expect(await sandbox.cloudPay.unifiedOrder(order)).toMatchObject({ resultCode: 'FAIL', errCode: 'ORDERPAID' });
  });

  const refundArgs = { sub_mch_id: '1900000109', nonce_str: 'n', out_trade_no: 'ORD_001', out_refund_no: 'RF_001', total_fee: 2590, refund_fee: 1000 };
  const refundCalls = (calls: Call[]) => calls.filter((c) => c.event.reqInfo);

  test('refund of an unpaid order fails', async () => {
    const { sandbox } = setup();
    await sandbox.cloudPay.unifiedOrder(order);
    expect(await sandbox.cloudPay.refund(refundArgs)).toMatchObject({ resultCode: 'FAIL' });
  });

  test('refund is idempotent per out_refund_no: a second call makes no second refund and no second callback', async () => {
    const { engine, sandbox, calls } = await paid();
    const r1 = (await sandbox.cloudPay.refund(refundArgs)) as Any;
    const r2 = (await sandbox.cloudPay.refund(refundArgs)) as Any;
    await flush(); await flush();
    expect(r1).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundFee: 1000 });
    expect(r2).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundId: r1.refundId });
    expect(engine.find(SANDBOX.refunds, {})).toHaveLength(1);
    expect(engine.peek(SANDBOX.pay, 'ORD_001')?.refunded).toBe(1000);
    const rc = refundCalls(calls);
    expect(rc).toHaveLength(1);
    expect(rc[0].name).toBe('payCallback');
    expect(rc[0].event.reqInfo).toMatchObject({ outTradeNo: 'ORD_001', outRefundNo: 'RF_001', refundFee: 1000, refundStatus: 'SUCCESS', refundId: r1.refundId });
  });

  test('a different out_refund_no is a second refund; refunds never exceed the total', async () => {
    const { sandbox, calls } = await paid();
    await sandbox.cloudPay.refund(refundArgs);
    expect(await sandbox.cloudPay.refund({ ...refundArgs, out_refund_no: 'RF_002', refund_fee: 1590 })).toMatchObject({ resultCode: 'SUCCESS' });
    expect(await sandbox.cloudPay.refund({ ...refundArgs, out_refund_no: 'RF_003', refund_fee: 1 })).toMatchObject({ resultCode: 'FAIL' });
    await flush(); await flush();
    expect(refundCalls(calls)).toHaveLength(2);
  });

  test('failNextRefunds: the next refund FAILs, the retry with the same out_refund_no succeeds once', async () => {
    const { engine, sandbox, calls } = await paid();
    sandbox.failNextRefunds(1);
    const failed = (await sandbox.cloudPay.refund(refundArgs)) as Any;
    expect(failed).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL' });
    await flush(); await flush();
    expect(refundCalls(calls)).toHaveLength(0);
    expect(engine.find(SANDBOX.refunds, {})).toHaveLength(0);
    const retry = (await sandbox.cloudPay.refund(refundArgs)) as Any;
    expect(retry).toMatchObject({ resultCode: 'SUCCESS', refundFee: 1000 });
    const again = (await sandbox.cloudPay.refund(refundArgs)) as Any;
    expect(again.refundId).toBe(retry.refundId);
    await flush(); await flush();
    expect(refundCalls(calls)).toHaveLength(1);
    expect(engine.peek(SANDBOX.pay, 'ORD_001')?.refunded).toBe(1000);
  });
});
