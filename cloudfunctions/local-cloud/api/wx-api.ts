// The two multipart actions of `POST /admin` that the real wx-server-sdk sends for `cloud.openapi.*` and
// `cloud.cloudPay.*`, answered byte for byte the way the SDK decodes CloudBase's answers.
//
// Request (@cloudbase/node-sdk src/wx/index.ts callCompatibleWxOpenApi / callWxPayApi, sent as
// multipart/form-data, see ./multipart.ts): fields `action`, `apiName`, `envName`, `wxCloudApiToken`, …;
// parts `requestData` (Buffer) and, for pay, `apiOptions` (Buffer, an ApiOptions protobuf).
//
// How the answer is read (node-sdk src/utils/tcbapirequester.ts):
//  * `request()` returns the raw body Buffer (opts.type 'raw', encoding null) unless the hook
//    `handleWxOpenApiData` sees `headers['content-type'] === 'application/json; charset=utf-8'`, in which
//    case it JSON-parses it: that is how CloudBase reports a platform failure `{ code, message }`.
//  * so every successful answer here is sent as `application/octet-stream` (stays a Buffer), and platform
//    failures as JSON `{ code, message }` with exactly `application/json; charset=utf-8`.
// Then wx-server-sdk index.js "./src/api/cloud/provider/tcb/api/callWXOpenAPI.ts" `callGeneralOpenAPI`:
//  * not a Buffer → `res.code && res.hasOwnProperty('message')` → throws
//    { errCode: TCB_ERR_CODE[code] || -501001 }.
//  * wx.openApi Buffer → `CommOpenApiResp.decode(res)`; `errorCode` ≠ 0 → throws; else returns the message.
//    "./src/api/openapi/namespace/generic.ts" then: contentType matching /application\/json|text\/plain/ →
//    JSON-parses respData, `errcode` ≠ 0 → throws { errCode: errcode, errMsg: 'openapi.X:fail ' + errmsg },
//    else deletes errcode/errmsg and converts snake_case → camelCase; any other contentType →
//    `{ contentType, buffer: respData }`.
//  * wx.wxPayApi Buffer → `JSON.parse(res.toString())` (a `{ code, message }` there also throws), and
//    "./src/api/cloudpay/namespace/generic.ts" converts the object snake_case → camelCase and adds
//    `errCode: 0, errMsg: 'cloudPay.X:ok'` (so WeChat Pay's own err_code is overwritten by the SDK).
import { randomBytes } from 'crypto';
import { Engine } from '../db/engine';
import { CallbackInvoker, OpenApiResult, WxError, createWxSandbox } from './sandbox';
import { sdkProto } from './sdk-proto';

/** What the wx actions need: the env's database, its id, the app id and how to call back a function of it. */
export interface WxApiDeps {
  engine: Engine;
  envId: string;
  appid?: string;
  invokeCallback: CallbackInvoker;
}

/** One HTTP answer to write back as is. */
export interface WxApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The actions this module answers (the `action` form field). */
export const WX_ACTIONS = ['wx.openApi', 'wx.wxPayApi'] as const;

/** Content type of every successful answer (anything but `application/json; charset=utf-8`, see above). */
export const BINARY_TYPE = 'application/octet-stream';
/** Content type that makes node-sdk JSON-parse the body, i.e. a platform failure. */
export const PLATFORM_ERROR_TYPE = 'application/json; charset=utf-8';

/** A CloudBase platform failure `{ code, message, requestId }`; `code` should be a key of the SDK's TCB_ERR_CODE. */
export function tcbError(code: string, message: string): WxApiResponse {
  const body = Buffer.from(JSON.stringify({ code, message, requestId: randomBytes(8).toString('hex') }));
  return { status: 200, headers: { 'content-type': PLATFORM_ERROR_TYPE }, body };
}

const binary = (body: Uint8Array): WxApiResponse => ({
  status: 200,
  headers: { 'content-type': BINARY_TYPE },
  body: Buffer.from(body),
});

/** Decodes a `wx.openApi` requestData (CommApiData) into the snake_case arguments the SDK encoded. */
export function decodeOpenApiRequest(requestData: Uint8Array): { appid?: string; args: Record<string, unknown> } {
  const { CommApiData } = sdkProto();
  const msg = CommApiData.decode(requestData);
  if ((msg.apiType ?? 0) !== CommApiData.ApiType.OPEN_API) throw new Error(`unsupported apiType ${msg.apiType}`);
  const args: Record<string, unknown> = {};
  // generic.ts: one pair per key, `value: Buffer.from(JSONBigInt.stringify(val))`; media pairs carry raw bytes.
  for (const pair of msg.openapiData?.pairs ?? []) {
    const key = pair.key ?? '';
    const value = Buffer.from(pair.value ?? []);
    if (pair.contenttype) args[key] = { contentType: pair.contenttype, value, fileName: pair.filename };
    else args[key] = JSON.parse(value.toString('utf8')) as unknown;
  }
  return { appid: msg.appid || undefined, args };
}

/** Encodes an openapi result as the CommOpenApiResp the SDK decodes. */
export function encodeOpenApiResult(result: OpenApiResult): Buffer {
  const { CommOpenApiResp } = sdkProto();
  const resp =
    result.kind === 'json'
      ? { respData: Buffer.from(JSON.stringify(result.json)), contentType: 'application/json' }
      : { respData: result.buffer, contentType: result.contentType };
  return Buffer.from(CommOpenApiResp.encode({ ...resp, errorCode: 0, httpCode: 200 }).finish());
}

/** Builds the handler of `wx.openApi` / `wx.wxPayApi` over one env's sandbox. */
export function createWxApi(deps: WxApiDeps) {
  const sandbox = createWxSandbox(deps);

  async function openApi(apiName: string, requestData: Buffer): Promise<WxApiResponse> {
    const run = Object.prototype.hasOwnProperty.call(sandbox.openapi, apiName) ? sandbox.openapi[apiName] : undefined;
    if (!run) return tcbError('INVALID_PARAM', `local cloud does not emulate openapi.${apiName}`);
    let args: Record<string, unknown>;
    try {
      args = decodeOpenApiRequest(requestData).args;
    } catch (e) {
      return tcbError('INVALID_PARAM', `bad requestData for openapi.${apiName}: ${(e as Error).message}`);
    }
    try {
      return binary(encodeOpenApiResult(await run(args)));
    } catch (e) {
      if (!(e instanceof WxError)) throw e;
      // WeChat's own failure travels inside a successful CommOpenApiResp, as JSON { errcode, errmsg }.
      return binary(encodeOpenApiResult({ kind: 'json', json: { errcode: e.errcode, errmsg: e.errmsg } }));
    }
  }

  async function wxPayApi(apiName: string, requestData: Buffer, apiOptions: Buffer | undefined) {
    const run = Object.prototype.hasOwnProperty.call(sandbox.pay, apiName) ? sandbox.pay[apiName] : undefined;
    if (!run) return tcbError('INVALID_PARAM', `local cloud does not emulate cloudPay.${apiName}`);
    let args: Record<string, unknown>;
    let appid: string | undefined;
    try {
      // cloudpay generic.ts: `data: Buffer.from(JSON.stringify(data))`, `apiOptions: ApiOptions.encode({ appid })`.
      if (apiOptions?.length) appid = sdkProto().ApiOptions.decode(apiOptions).appid || undefined;
      const parsed = JSON.parse(requestData.toString('utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      args = parsed as Record<string, unknown>;
    } catch (e) {
      return tcbError('INVALID_PARAM', `bad requestData for cloudPay.${apiName}: ${(e as Error).message}`);
    }
    return binary(Buffer.from(JSON.stringify(await run(args, { appid }))));
  }

  /** Answers one multipart action; fields and files come from parseMultipart (./multipart.ts). */
  async function handle(
    action: string,
    fields: Record<string, string>,
    files: Record<string, Buffer>,
  ): Promise<WxApiResponse> {
    const apiName = fields.apiName ?? '';
    const requestData = files.requestData ?? Buffer.from(fields.requestData ?? '', 'utf8');
    try {
      if (action === 'wx.openApi') return await openApi(apiName, requestData);
      if (action === 'wx.wxPayApi') return await wxPayApi(apiName, requestData, files.apiOptions);
      return tcbError('INVALID_PARAM', `action ${action} is not a wx multipart action`);
    } catch (e) {
      return tcbError('SYS_ERR', `local cloud failed in ${action} ${apiName}: ${(e as Error).stack ?? String(e)}`);
    }
  }

  return {
    handle,
    grantSubscription: sandbox.grantSubscription,
    confirmPayment: sandbox.confirmPayment,
    failNextRefunds: sandbox.failNextRefunds,
    drain: sandbox.drain,
  };
}

/** The handler built by createWxApi. */
export type WxApi = ReturnType<typeof createWxApi>;
