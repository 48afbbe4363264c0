// The protobuf messages wx-server-sdk itself speaks to CloudBase, loaded from the SDK's own bundle:
// node_modules/wx-server-sdk/index.js holds the webpack module "./src/protobuf/openapi.js" (protobufjs
// static code over "protobufjs/minimal"). We cut that module's function out of the bundle and run it with
// a tiny webpack shim, so no .proto definition is copied into this repository and the wire format is
// always the one of the SDK version installed.
import { readFileSync } from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import * as protobuf from 'protobufjs/minimal';

/** KeyValuePair: one openapi argument (generic.ts sends key → JSON bytes; media adds contenttype/filename). */
export interface KeyValuePair {
  key?: string;
  value?: Uint8Array;
  contenttype?: string;
  filename?: string;
}

/** CommApiData: the request of `wx.openApi` (./src/api/openapi/namespace/generic.ts encodes it). */
export interface CommApiData {
  apiType?: number;
  openapiData?: { pairs?: KeyValuePair[] } | null;
  appid?: string;
}

/** HttpHeader: a header of CommOpenApiResp. */
export interface HttpHeader {
  key?: string;
  value?: string;
}

/** CommOpenApiResp: the answer of `wx.openApi` (callWXOpenAPI.ts decodes it). */
export interface CommOpenApiResp {
  respData?: Uint8Array;
  contentType?: string;
  errorCode?: number;
  httpCode?: number;
  headers?: HttpHeader[];
  svrkitErrorCode?: number;
}

/** ApiOptions: the `apiOptions` part of `wx.wxPayApi` (./src/api/cloudpay/namespace/generic.ts). */
export interface ApiOptions {
  appid?: string;
}

/** What a protobufjs static message class offers (the subset we use). */
export interface MessageType<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  verify(message: Record<string, unknown>): string | null;
}

/** The SDK's message classes we emulate. */
export interface SdkProto {
  CommApiData: MessageType<CommApiData> & { ApiType: Record<string, number> };
  CommOpenApiResp: MessageType<CommOpenApiResp>;
  ApiOptions: MessageType<ApiOptions>;
  KeyValuePair: MessageType<KeyValuePair>;
}

const MODULE_ID = './src/protobuf/openapi.js';
const FACTORY = '(function(module, exports, __webpack_require__) {';
const MODULE_END = '\n/***/ })';

/** Where the installed wx-server-sdk bundle is (resolved through package.json, which no jest mapper rewrites). */
export function sdkBundlePath(): string {
  const pkgPath = require.resolve('wx-server-sdk/package.json', { paths: [process.cwd(), __dirname] });
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { main?: string };
  return path.join(path.dirname(pkgPath), pkg.main ?? 'index.js');
}

const fail = (bundle: string, why: string) =>
  new Error(
    `local-cloud: cannot load the SDK's protobuf definitions from ${bundle}: ${why}. ` +
      `The emulator needs the webpack module "${MODULE_ID}" of wx-server-sdk (4.x); ` +
      'was wx-server-sdk upgraded or its bundle changed?',
  );

/** Cuts the webpack module "./src/protobuf/openapi.js" out of the bundle and evaluates it (throws if absent). */
export function loadSdkProto(bundle: string = sdkBundlePath()): SdkProto {
  let src: string;
  try {
    src = readFileSync(bundle, 'utf8');
  } catch (e) {
    throw fail(bundle, `unreadable (${(e as Error).message})`);
  }
  const header = src.indexOf(`/***/ "${MODULE_ID}":`);
  if (header < 0) throw fail(bundle, `module "${MODULE_ID}" not found`);
  const start = src.indexOf(FACTORY, header);
  const end = start < 0 ? -1 : src.indexOf(MODULE_END, start);
  // The factory must follow its header directly (webpack puts only a comment banner between them).
  if (start < 0 || end < 0 || start - header > 400) throw fail(bundle, `module "${MODULE_ID}" has an unexpected shape`);
  const body = src.slice(start + FACTORY.length, end);
  // A private `roots` so the SDK's `$protobuf.roots["default"]` registry never clashes with another user.
  // (defineProperty: once bundled, the imported namespace exposes getter-only properties.)
  const minimal = Object.defineProperty(Object.create(protobuf), 'roots', {
    value: {},
    writable: true,
    enumerable: true,
  });
  const webpackRequire = (id: string): unknown => {
    if (id === 'protobufjs/minimal') return minimal;
    throw fail(bundle, `module "${MODULE_ID}" requires "${id}", which the shim does not provide`);
  };
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  try {
    const factory = vm.runInThisContext(`(function (module, exports, __webpack_require__) {${body}\n})`, {
      filename: `${bundle}#${MODULE_ID}`,
    }) as (m: typeof mod, e: unknown, r: typeof webpackRequire) => void;
    factory(mod, mod.exports, webpackRequire);
  } catch (e) {
    if ((e as Error).message.startsWith('local-cloud:')) throw e;
    throw fail(bundle, `evaluating module "${MODULE_ID}" failed (${(e as Error).message})`);
  }
  const root = mod.exports;
  for (const name of ['CommApiData', 'CommOpenApiResp', 'ApiOptions', 'KeyValuePair']) {
    const t = root[name] as Partial<MessageType<unknown>> | undefined;
    if (typeof t?.encode !== 'function' || typeof t.decode !== 'function') {
      throw fail(bundle, `module "${MODULE_ID}" does not export message ${name}`);
    }
  }
  return root as unknown as SdkProto;
}

let cached: SdkProto | undefined;

/** The SDK's protobuf messages, loaded once on first use. */
export function sdkProto(): SdkProto {
  cached ??= loadSdkProto();
  return cached;
}
