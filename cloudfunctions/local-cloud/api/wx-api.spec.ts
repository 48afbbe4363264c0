// wx.openApi / wx.wxPayApi: the REAL wx-server-sdk (in a child process, outside jest's module mapper)
// talks HTTP to a tiny server made of ./multipart and ./wx-api, and we assert what the SDK returns or throws.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Engine } from '../db/engine';
import { MultipartError, isMultipart, parseMultipart } from './multipart';
import * as QRCode from 'qrcode';
import { SANDBOX, qrPng } from './sandbox';
import { loadSdkProto, sdkProto } from './sdk-proto';
import { WxApi, WxApiResponse, createWxApi, decodeOpenApiRequest, tcbError } from './wx-api';

type Any = any;
type Outcome = { ok: true; value: Any } | { ok: false; error: { errCode?: number; errMsg?: string; message: string } };
type Seen = { query: Record<string, string>; fields: Record<string, string>; files: Record<string, Buffer> };
type Call = { fn: string; event: Any };

/** One file part of a multipart request; a missing part fails the test here. */
function part(files: Record<string, Buffer>, name: string): Buffer {
  const file = files[name];
  if (!file) throw new Error(`the request has no file part "${name}"`);
  return file;
}

const root = path.resolve(__dirname, '..', '..', '..');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The child: the SDK as a cloud function runs it; executes `cloud.<path>(args)` on request, answers over IPC.
// `envId: '$DYNAMIC_CURRENT_ENV'` stands for cloud.DYNAMIC_CURRENT_ENV (a Symbol cannot cross IPC).
const CHILD = `
const cloud = require(require.resolve('wx-server-sdk', { paths: [process.cwd()] }));
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
process.on('message', async ({ id, path, args }) => {
  try {
    if (args && args.envId === '$DYNAMIC_CURRENT_ENV') args.envId = cloud.DYNAMIC_CURRENT_ENV;
    const fn = path.split('.').reduce((o, k) => o[k], cloud);
    process.send({ id, ok: true, value: await fn(args) });
  } catch (e) {
    const error = { errCode: e && e.errCode, errMsg: e && e.errMsg, message: String(e && e.message) };
    process.send({ id, ok: false, error });
  }
});
process.send({ ready: true });
`;

function sdkEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    SCF_NAMESPACE: 'local',
    TCB_ENV: 'local',
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }),
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_API_TOKEN',
    WX_OPENID: 'o1',
    WX_APPID: 'wx_local_appid',
    WX_API_TOKEN: 't',
  };
}

describe('wx.openApi / wx.wxPayApi through the real wx-server-sdk', () => {
  let engine: Engine;
  let api: WxApi;
  let server: http.Server;
  let child: ChildProcess;
  let stderr = '';
  const seen: Seen[] = [];
  const calls: Call[] = [];
  const waiting = new Map<number, (o: Outcome) => void>();
  let seq = 0;

  async function answer(req: http.IncomingMessage, body: Buffer): Promise<WxApiResponse> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ct = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST' || url.pathname !== '/admin') return { status: 404, headers: {}, body: Buffer.alloc(0) };
    if (!isMultipart(ct)) return tcbError('INVALID_PARAM', `this test server only takes multipart, got ${ct}`);
    const { fields, files } = await parseMultipart(body, ct);
    seen.push({ query: Object.fromEntries(url.searchParams), fields, files });
    return api.handle(fields.action ?? '', fields, files);
  }

  /** Calls `cloud.<fn>(args)` in the SDK process. */
  function sdk(fn: string, args: object): Promise<Outcome> {
    const id = ++seq;
    return new Promise<Outcome>((resolve) => {
      waiting.set(id, (o) => {
        delete (o as { id?: number }).id;
        resolve(o);
      });
      child.send({ id, path: fn, args });
    });
  }
  const last = (): Seen => {
    const s = seen.at(-1);
    if (!s) throw new Error('no request reached the fake server');
    return s;
  };

  beforeAll(async () => {
    engine = new Engine();
    api = createWxApi({
      engine,
      envId: 'local',
      invokeCallback: async (fn, event) => {
        calls.push({ fn, event });
        return { errcode: 0, errmsg: '' };
      },
    });
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        answer(req, Buffer.concat(chunks)).then(
          (r) => {
            res.writeHead(r.status, r.headers);
            res.end(r.body);
          },
          (e: Error) => {
            res.writeHead(500);
            res.end(String(e.stack));
          },
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    child = spawn(process.execPath, ['-e', CHILD], {
      cwd: root,
      env: sdkEnv(port),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: Any) => {
        if (m.ready) resolve();
        else waiting.get(m.id)?.(m as Outcome);
      });
      child.once('exit', (code) => {
        reject(new Error(`SDK process exited (${code}): ${stderr}`));
        for (const w of waiting.values()) w({ ok: false, error: { message: `SDK process exited: ${stderr}` } });
      });
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    }
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  describe('openapi.subscribeMessage.send', () => {
    const msg = {
      touser: 'o1',
      templateId: 'T_PAID',
      page: 'pages/index/index',
      data: { thing1: { value: '已发货' } },
    };

    test('without quota the SDK throws errCode 43101 and nothing reaches the outbox', async () => {
      const r = await sdk('openapi.subscribeMessage.send', msg);
      expect(r).toMatchObject({ ok: false, error: { errCode: 43101 } });
      expect(r.ok || r.error.errMsg).toBe('openapi.subscribeMessage.send:fail user refuse to accept the msg');
      expect(engine.find(SANDBOX.outbox, {})).toEqual([]);
    });

    test('the request is wx.openApi multipart with a CommApiData of snake_case JSON pairs', async () => {
      await sdk('openapi.subscribeMessage.send', msg);
      const { query, fields, files } = last();
      expect(query.env).toBe('local');
      expect(query.seqId).toBeTruthy();
      expect(fields).toMatchObject({ action: 'wx.openApi', apiName: 'subscribeMessage.send', envName: 'local' });
      expect(Buffer.isBuffer(files.requestData)).toBe(true);
      expect(decodeOpenApiRequest(part(files, 'requestData')).args).toEqual({
        touser: 'o1',
        template_id: 'T_PAID',
        page: 'pages/index/index',
        data: { thing1: { value: '已发货' } },
      });
    });

    test('with quota it succeeds once, the outbox gets it, and the next send is 43101 again', async () => {
      expect(api.grantSubscription('o1', 'T_PAID')).toBe(1);
      const ok = await sdk('openapi.subscribeMessage.send', msg);
      expect(ok).toEqual({ ok: true, value: { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' } });
      const outbox = engine.find(SANDBOX.outbox, {});
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ touser: 'o1', templateId: 'T_PAID', data: { thing1: { value: '已发货' } } });
      expect(await sdk('openapi.subscribeMessage.send', msg)).toMatchObject({ ok: false, error: { errCode: 43101 } });
    });
  });

  describe('openapi.wxacode.getUnlimited', () => {
    test('returns { contentType: image/png, buffer } with a real PNG', async () => {
      const args = { scene: 'i=m_1', page: 'pages/index/index', checkPath: false, width: 430 };
      const r = await sdk('openapi.wxacode.getUnlimited', args);
      expect(r).toMatchObject({ ok: true, value: { contentType: 'image/png', errCode: 0 } });
      const buf = Buffer.from((r as Any).value.buffer);
      expect(buf.subarray(0, 8)).toEqual(PNG);
      expect([buf.readUInt32BE(16), buf.readUInt32BE(20)]).toEqual([430, 430]); // IHDR width × height
      expect(decodeOpenApiRequest(part(last().files, 'requestData')).args).toMatchObject({ check_path: false });
    });

    test('a 33-char scene is 40169, a page with a leading / is 41030', async () => {
      const long = await sdk('openapi.wxacode.getUnlimited', { scene: 'x'.repeat(33), page: 'pages/index/index' });
      expect(long).toMatchObject({ ok: false, error: { errCode: 40169 } });
      expect(await sdk('openapi.wxacode.getUnlimited', { scene: 'x'.repeat(32) })).toMatchObject({ ok: true });
      const slash = await sdk('openapi.wxacode.getUnlimited', { scene: 'a=1', page: '/pages/index/index' });
      expect(slash).toMatchObject({ ok: false, error: { errCode: 41030 } });
    });
  });

  describe('openapi.phonenumber.getPhoneNumber', () => {
    test('a sandbox code gives phoneInfo; any other code is 40029', async () => {
      const r = await sdk('openapi.phonenumber.getPhoneNumber', { code: 'sandbox:13800138000' });
      expect(r).toMatchObject({
        ok: true,
        value: {
          errCode: 0,
          phoneInfo: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' },
        },
      });
      expect((r as Any).value.errcode).toBeUndefined();
      expect(await sdk('openapi.phonenumber.getPhoneNumber', { code: 'abc' })).toMatchObject({
        ok: false,
        error: { errCode: 40029 },
      });
    });
  });

  test('an openapi the sandbox does not emulate is a platform error (INVALID_PARAM → -501007)', async () => {
    const r = await sdk('openapi.security.msgSecCheck', { content: 'x' });
    expect(r).toMatchObject({ ok: false, error: { errCode: -501007 } });
    expect(r.ok || r.error.errMsg).toMatch(/does not emulate openapi\.security\.msgSecCheck/);
  });

  describe('cloudPay', () => {
    const order = (outTradeNo: string, extra: object = {}) => ({
      functionName: 'pay',
      envId: 'local',
      subMchId: 'sub_1',
      nonceStr: 'n0nce',
      body: '拾光咖啡-拿铁',
      outTradeNo,
      totalFee: 500,
      spbillCreateIp: '127.0.0.1',
      ...extra,
    });

    test('unifiedOrder answers like WeChat in camelCase, with a payment for wx.requestPayment', async () => {
      const r = await sdk('cloudPay.unifiedOrder', order('OD1'));
      expect(r.ok).toBe(true);
      const v = (r as Any).value;
      expect(v).toMatchObject({
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        errCode: 0,
        errMsg: 'cloudPay.unifiedOrder:ok',
        subMchId: 'sub_1',
        tradeType: 'JSAPI',
        prepayId: expect.stringMatching(/^wx/),
      });
      expect(v.payment).toEqual({
        appId: 'wx_local_appid',
        timeStamp: expect.stringMatching(/^\d{10}$/),
        nonceStr: expect.any(String),
        package: `prepay_id=${v.prepayId}`,
        signType: 'MD5',
        paySign: expect.any(String),
      });
      const { fields, files } = last();
      expect(fields).toMatchObject({ action: 'wx.wxPayApi', apiName: 'unifiedOrder' });
      expect(JSON.parse(part(files, 'requestData').toString())).toMatchObject({
        env_id: 'local',
        function_name: 'pay',
        total_fee: 500,
      });
      expect(sdkProto().ApiOptions.decode(part(files, 'apiOptions'))).toBeTruthy();
      // The same order again: the same prepay.
      const again = await sdk('cloudPay.unifiedOrder', order('OD1'));
      expect((again as Any).value.prepayId).toBe(v.prepayId);
    });

    test('without envId, functionName or subMchId, or for another env: refused, nothing stored', async () => {
      const { envId: _e, ...noEnv } = order('OD2');
      const { functionName: _f, ...noFn } = order('OD2');
      const { subMchId: _s, ...noMch } = order('OD2');
      for (const [args, missing] of [
        [noEnv, 'env_id'],
        [noFn, 'function_name'],
        [noMch, 'sub_mch_id'],
      ] as const) {
        const r = await sdk('cloudPay.unifiedOrder', args);
        expect(r).toMatchObject({ ok: true, value: { returnCode: 'FAIL', returnMsg: `缺少参数 ${missing}` } });
      }
      const other = await sdk('cloudPay.unifiedOrder', order('OD2', { envId: 'prod-123' }));
      expect(other).toMatchObject({
        ok: true,
        value: { returnCode: 'FAIL', returnMsg: expect.stringMatching(/prod-123/) },
      });
      expect(engine.peek(SANDBOX.pay, 'OD2')).toBeUndefined();
    });

    test('envId: cloud.DYNAMIC_CURRENT_ENV is a Symbol the SDK drops (JSON.stringify): refused too', async () => {
      const r = await sdk('cloudPay.unifiedOrder', order('OD3', { envId: '$DYNAMIC_CURRENT_ENV' }));
      expect(r).toMatchObject({ ok: true, value: { returnCode: 'FAIL', returnMsg: '缺少参数 env_id' } });
      expect(JSON.parse(part(last().files, 'requestData').toString())).not.toHaveProperty('env_id');
    });

    test('payment notice, then refunds: idempotent per out_refund_no, never beyond what was paid', async () => {
      await sdk('cloudPay.unifiedOrder', order('OD4', { totalFee: 500, attach: 'a1' }));
      const refund = (outRefundNo: string, fee: number) =>
        sdk('cloudPay.refund', {
          sub_mch_id: 'sub_1',
          nonce_str: 'n',
          out_trade_no: 'OD4',
          out_refund_no: outRefundNo,
          total_fee: 500,
          refund_fee: fee,
          functionName: 'pay',
        });
      expect(await refund('R0', 100)).toMatchObject({
        ok: true,
        value: { resultCode: 'FAIL', errCodeDes: '订单不存在或未支付' },
      });

      calls.length = 0;
      const { transactionId } = await api.confirmPayment('OD4', { openid: 'o1' });
      expect(calls).toEqual([
        {
          fn: 'pay',
          event: expect.objectContaining({
            returnCode: 'SUCCESS',
            resultCode: 'SUCCESS',
            outTradeNo: 'OD4',
            totalFee: 500,
            transactionId,
            subOpenid: 'o1',
            attach: 'a1',
          }),
        },
      ]);

      const first = await refund('R1', 200);
      expect(first).toMatchObject({
        ok: true,
        value: {
          returnCode: 'SUCCESS',
          resultCode: 'SUCCESS',
          outTradeNo: 'OD4',
          outRefundNo: 'R1',
          refundFee: 200,
          transactionId,
          errCode: 0,
          errMsg: 'cloudPay.refund:ok',
        },
      });
      const refundId = (first as Any).value.refundId;
      expect(refundId).toMatch(/^50/);
      // The same out_refund_no again: the same refund, not a second one.
      expect(await refund('R1', 200)).toMatchObject({ ok: true, value: { resultCode: 'SUCCESS', refundId } });
      expect(engine.find(SANDBOX.refunds, { outTradeNo: 'OD4' })).toHaveLength(1);
      // 200 + 400 > 500: refused; 200 + 300 = 500: fine; then nothing is left.
      expect(await refund('R2', 400)).toMatchObject({
        ok: true,
        value: { resultCode: 'FAIL', errCodeDes: expect.stringMatching(/超过/) },
      });
      expect(await refund('R2', 300)).toMatchObject({ ok: true, value: { resultCode: 'SUCCESS', refundFee: 300 } });
      expect(await refund('R3', 1)).toMatchObject({ ok: true, value: { resultCode: 'FAIL' } });
      expect(engine.find(SANDBOX.refunds, { outTradeNo: 'OD4' }).map((d) => d.refundFee)).toEqual([200, 300]);

      await api.drain();
      const notices = calls
        .filter((c) => c.event.reqInfo)
        .map((c) => [c.fn, c.event.reqInfo.outRefundNo, c.event.reqInfo.refundStatus]);
      expect(notices).toEqual([
        ['pay', 'R1', 'SUCCESS'],
        ['pay', 'R2', 'SUCCESS'],
      ]);
    });

    test('failNextRefunds: the next refund is SYSTEMERROR; the retry with the same number succeeds once', async () => {
      await sdk('cloudPay.unifiedOrder', order('OD5', { totalFee: 300 }));
      await api.confirmPayment('OD5');
      api.failNextRefunds(1);
      const refund = () =>
        sdk('cloudPay.refund', {
          sub_mch_id: 'sub_1',
          nonce_str: 'n',
          out_trade_no: 'OD5',
          out_refund_no: 'R5',
          total_fee: 300,
          refund_fee: 300,
        });
      expect(await refund()).toMatchObject({
        ok: true,
        value: { returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '系统超时' },
      });
      expect(await refund()).toMatchObject({ ok: true, value: { resultCode: 'SUCCESS', refundFee: 300 } });
      expect(await refund()).toMatchObject({ ok: true, value: { resultCode: 'SUCCESS', refundFee: 300 } });
      expect(engine.find(SANDBOX.refunds, { outTradeNo: 'OD5' })).toHaveLength(1);
      await api.drain();
    });

    test('a cloudPay API the sandbox does not emulate is a platform error', async () => {
      const r = await sdk('cloudPay.downloadBill', { subMchId: 'sub_1', billDate: '20240101' });
      expect(r).toMatchObject({ ok: false, error: { errCode: -501007 } });
    });
  });
});

describe('wx-api without the SDK', () => {
  const make = () =>
    createWxApi({ engine: new Engine(), envId: 'local', invokeCallback: async () => ({ errcode: 0 }) });

  test('platform failures are JSON { code, message } with exactly application/json; charset=utf-8', async () => {
    const r = await make().handle('wx.api', {}, {});
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body.toString())).toMatchObject({
      code: 'INVALID_PARAM',
      message: expect.stringMatching(/wx\.api/),
    });
    const garbage = { requestData: Buffer.from([0xff, 1]) };
    const bad = await make().handle('wx.openApi', { apiName: 'subscribeMessage.send' }, garbage);
    expect(JSON.parse(bad.body.toString())).toMatchObject({ code: 'INVALID_PARAM' });
    const badPay = await make().handle('wx.wxPayApi', { apiName: 'refund' }, { requestData: Buffer.from('[1]') });
    expect(JSON.parse(badPay.body.toString())).toMatchObject({ code: 'INVALID_PARAM' });
  });

  test('answers are octet-stream; a WeChat error rides inside CommOpenApiResp as JSON errcode/errmsg', async () => {
    const { CommApiData, CommOpenApiResp } = sdkProto();
    const requestData = Buffer.from(
      CommApiData.encode({
        apiType: 0,
        openapiData: { pairs: [{ key: 'code', value: Buffer.from('"nope"') }] },
      }).finish(),
    );
    const r = await make().handle('wx.openApi', { apiName: 'phonenumber.getPhoneNumber' }, { requestData });
    expect(r).toMatchObject({ status: 200, headers: { 'content-type': 'application/octet-stream' } });
    const resp = CommOpenApiResp.decode(r.body);
    expect(resp.contentType).toBe('application/json');
    expect(resp.errorCode ?? 0).toBe(0);
    expect(JSON.parse(Buffer.from(resp.respData ?? []).toString())).toEqual({ errcode: 40029, errmsg: 'invalid code' });
  });

  test('confirmPayment delivers only for an order of its own env', async () => {
    const engine = new Engine();
    const api = createWxApi({ engine, envId: 'local', invokeCallback: async () => ({ errcode: 0 }) });
    engine.commit([[SANDBOX.pay, 'ODX', { _id: 'ODX', envId: 'other', functionName: 'pay', totalFee: 1 }]]);
    await expect(api.confirmPayment('ODX')).rejects.toThrow(/belongs to env other/);
    await expect(api.confirmPayment('NOPE')).rejects.toThrow(/no sandbox payment/);
  });
});

describe('qrPng', () => {
  test('the PNG decodes (with pngjs) to exactly the QR modules of the text', () => {
    const { PNG } = require(require.resolve('pngjs', { paths: [require.resolve('qrcode')] })) as Any;
    const text = 'https://local.wxacode/pages/index/index?scene=a%3D1';
    const img = PNG.sync.read(qrPng(text, 300));
    const m = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
    const cells = m.size + 4;
    const at = (i: number) => Math.floor(((i + 2 + 0.5) * 300) / cells);
    const wrong: number[][] = [];
    for (let r = 0; r < m.size; r++) {
      for (let c = 0; c < m.size; c++) {
        if ((img.data[(at(r) * 300 + at(c)) * 4] === 0) !== Boolean(m.get(r, c))) wrong.push([r, c]);
      }
    }
    expect([img.width, img.height, wrong]).toEqual([300, 300, []]);
    expect(img.data[0]).toBe(255); // quiet zone is white
  });
});

describe('sdk-proto', () => {
  test('fails loudly when the bundle has no "./src/protobuf/openapi.js"', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdkproto-'));
    const file = path.join(dir, 'index.js');
    fs.writeFileSync(file, 'module.exports = {};');
    try {
      expect(() => loadSdkProto(file)).toThrow(/cannot load the SDK's protobuf definitions.*not found/);
      expect(() => loadSdkProto(path.join(dir, 'missing.js'))).toThrow(/unreadable/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the SDK messages round-trip', () => {
    const { CommOpenApiResp, ApiOptions } = sdkProto();
    const resp = { respData: Buffer.from([0, 255]), contentType: 'image/png', errorCode: 0 };
    const bytes = CommOpenApiResp.encode(resp).finish();
    expect(CommOpenApiResp.decode(bytes)).toMatchObject({ contentType: 'image/png', respData: Buffer.from([0, 255]) });
    expect(ApiOptions.decode(ApiOptions.encode({ appid: 'wx1' }).finish()).appid).toBe('wx1');
  });
});

describe('multipart', () => {
  // The very encoder node-sdk uses (request-core.ts buildHttpRequestInfo: `formdata.append(key, value)`).

  const FormData = require(require.resolve('form-data', { paths: [require.resolve('@cloudbase/node-sdk')] })) as Any;

  test('strings become fields and Buffers become exact files', async () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const tricky = Buffer.concat([every, Buffer.from('\r\n--boundary\r\n\r\n'), every]);
    const fd = new FormData();
    fd.append('action', 'wx.openApi');
    fd.append('apiName', '订阅消息.send');
    fd.append('cgiName', '');
    fd.append('requestData', tricky);
    fd.append('apiOptions', Buffer.alloc(0));
    const body: Buffer = fd.getBuffer();
    const ct: string = fd.getHeaders()['content-type'];
    expect(isMultipart(ct)).toBe(true);
    const { fields, files } = await parseMultipart(body, ct);
    expect(fields).toEqual({ action: 'wx.openApi', apiName: '订阅消息.send', cgiName: '' });
    expect(part(files, 'requestData').equals(tricky)).toBe(true);
    expect(files.apiOptions).toEqual(Buffer.alloc(0));
  });

  test('bad bodies and oversized parts are MultipartErrors', async () => {
    await expect(parseMultipart(Buffer.from('x'), 'multipart/form-data')).rejects.toBeInstanceOf(MultipartError);
    const fd = new FormData();
    fd.append('big', 'x'.repeat(2000));
    fd.append('file', Buffer.alloc(2000));
    const ct = fd.getHeaders()['content-type'];
    await expect(parseMultipart(fd.getBuffer(), ct, { fieldSize: 1000 })).rejects.toMatchObject({ status: 413 });
    await expect(parseMultipart(fd.getBuffer(), ct, { fileSize: 1000 })).rejects.toMatchObject({ status: 413 });
    expect(isMultipart('application/json')).toBe(false);
  });
});
