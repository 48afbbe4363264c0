// multipart/form-data bodies as @cloudbase/node-sdk sends them for `wx.openApi` / `wx.wxPayApi`.
// The SDK (src/wx/index.ts callCompatibleWxOpenApi / callWxPayApi) calls tcbapirequester.request with
// `isFormData: true`; TcbApiHttpRequester.makeReqOpts then sets `opts.formData = params`, and
// request-core.ts buildHttpRequestInfo does `formdata.append(key, value)` for every param with the
// `form-data` package: a string becomes a plain field (no content-type), a Buffer becomes a part with
// `Content-Type: application/octet-stream` (form-data's DEFAULT_CONTENT_TYPE for objects) and no filename.
// busboy treats a part as a file when it is application/octet-stream or has a filename, so the Buffers
// (requestData, apiOptions) come out of `files` byte for byte, and the strings out of `fields`.
import busboy from 'busboy';

/** A parsed multipart body: text fields and binary parts, by name. */
export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

/** Size limits of one body (bytes). */
export interface MultipartLimits {
  fieldSize?: number;
  fileSize?: number;
  parts?: number;
}

/** Thrown for a body that is not valid multipart/form-data or exceeds a limit (answer it with HTTP 400/413). */
export class MultipartError extends Error {
  /** HTTP status that fits the failure. */
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'MultipartError';
    this.status = status;
  }
}

/** Whether a content-type header is multipart/form-data. */
export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(contentType ?? '');
}

const DEFAULT_LIMITS: Required<MultipartLimits> = { fieldSize: 1 << 20, fileSize: 20 << 20, parts: 100 };

/** Parses a whole multipart/form-data body (Buffer + its content-type header) into fields and files. */
export function parseMultipart(body: Buffer, contentType: string, limits: MultipartLimits = {}): Promise<Multipart> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  return new Promise<Multipart>((resolve, reject) => {
    const out: Multipart = { fields: {}, files: {} };
    const pending: Promise<void>[] = [];
    let failed = false;
    const failWith = (e: MultipartError) => {
      if (!failed) {
        failed = true;
        reject(e);
      }
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: { 'content-type': contentType },
        defCharset: 'utf8',
        limits: { fieldSize: lim.fieldSize, fileSize: lim.fileSize, parts: lim.parts, fieldNameSize: 200 },
      });
    } catch (e) {
      failWith(new MultipartError(`bad multipart request: ${(e as Error).message}`));
      return;
    }
    bb.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        failWith(new MultipartError(`multipart field "${name}" exceeds ${lim.fieldSize} bytes`, 413));
        return;
      }
      out.fields[name] = value;
    });
    bb.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      pending.push(
        new Promise<void>((done) => {
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('limit', () => {
            failWith(new MultipartError(`multipart part "${name}" exceeds ${lim.fileSize} bytes`, 413));
          });
          stream.on('close', () => {
            out.files[name] = Buffer.concat(chunks);
            done();
          });
        }),
      );
    });
    bb.on('partsLimit', () => failWith(new MultipartError(`multipart body has more than ${lim.parts} parts`, 413)));
    bb.on('error', (e: Error) => failWith(new MultipartError(`bad multipart request: ${e.message}`)));
    bb.on('close', () => {
      Promise.all(pending).then(() => {
        if (!failed) resolve(out);
      }, reject);
    });
    bb.end(body);
  });
}
