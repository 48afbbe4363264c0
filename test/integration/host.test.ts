// The functions host over HTTP: identity from X-WX-OPENID, the envelope on every failure path,
// and no duplicate member under a burst of first calls.
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

let cloud: RunningCloud;
beforeAll(async () => {
  cloud = await startLocalCloud();
});
afterAll(async () => {
  await cloud?.stop();
});

const post = (path: string, init: RequestInit = {}) => fetch(`${cloud.url}${path}`, { method: 'POST', ...init });
const noStack = (text: string) => {
  expect(text).not.toMatch(/\bat\s+\S+.*\(/); // "at fn (file:line)" frames
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('.js:');
  expect(text).not.toContain('.ts:');
};

describe('functions host', () => {
  test('GET /healthz → 200 and lists the loaded functions', async () => {
    const res = await fetch(`${cloud.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(true);
    expect(body.functions).toContain('member');
  });

  test('a bundled function receives OPENID from the X-WX-OPENID header', async () => {
    const r = await cloud.raw('member', { action: 'me' }, 'it_user');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.data.member.openid).toBe('it_user');
    expect(r.body.data.member._id).toEqual(expect.any(String));
    // The op counters of the invocation are reported.
    expect(r.db.reads).toBeGreaterThan(0);
    const other = await cloud.call('member', { action: 'me' }, 'it_user_2');
    expect(other.data.member.openid).toBe('it_user_2');
    expect(other.data.member._id).not.toBe(r.body.data.member._id);
  });

  test('a second call by the same openid returns the same member and writes nothing', async () => {
    const a = await cloud.raw('member', { action: 'me' }, 'it_repeat');
    const b = await cloud.raw('member', { action: 'me' }, 'it_repeat');
    expect(b.body.data.member._id).toBe(a.body.data.member._id);
    expect(a.db.writes).toBe(1);
    expect(b.db.writes).toBe(0);
  });

  test('no X-WX-OPENID header → UNAUTHENTICATED envelope', async () => {
    const r = await cloud.raw('member', { action: 'me' });
    expect(r.body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('an identity in the event body is ignored', async () => {
    const r = await cloud.raw('member', {
      action: 'me',
      openid: 'spoof',
      OPENID: 'spoof',
      userInfo: { openId: 'spoof' },
    });
    expect(r.body.ok).toBe(false);
    expect(r.body.error.code).toBe('UNAUTHENTICATED');
  });

  test.each([
    ['missing body', undefined],
    ['empty body', ''],
    ['bad JSON', '{"action": "me",'],
    ['a JSON array', '[{"action":"me"}]'],
    ['a JSON string', '"me"'],
    ['JSON null', 'null'],
  ])('%s → 400 INVALID_ARGUMENT envelope without a stack trace', async (_name, body) => {
    const res = await post('/fn/member', {
      headers: { 'content-type': 'application/json', 'x-wx-openid': 'it_user' },
      body,
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    noStack(text);
    const env = JSON.parse(text);
    expect(env).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.any(String) } });
  });

  test('unknown function → 404 FUNCTION_NOT_FOUND', async () => {
    const r = await cloud.raw('no_such_fn', { action: 'me' }, 'it_user');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'FUNCTION_NOT_FOUND' } });
  });

  test('GET on a function → 405 envelope', async () => {
    const res = await fetch(`${cloud.url}/fn/member`);
    expect(res.status).toBe(405);
    expect((await res.json()).ok).toBe(false);
  });

  test('unknown action → UNKNOWN_ACTION; missing action too', async () => {
    const r = await cloud.raw('member', { action: 'nope' }, 'it_user');
    expect(r.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    noStack(JSON.stringify(r.body));
    const r2 = await cloud.raw('member', {}, 'it_user');
    expect(r2.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    // Inherited object keys are not actions.
    const r3 = await cloud.raw('member', { action: 'constructor' }, 'it_user');
    expect(r3.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
  });

  test('30 concurrent first calls of `me` by one new openid create exactly one member', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => cloud.raw('member', { action: 'me' }, 'it_burst_user')),
    );
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(true);
    }
    const memberIds = new Set(results.map((r) => r.body.data.member._id));
    expect(memberIds.size).toBe(1);
    const writes = results.reduce((n, r) => n + r.db.writes, 0);
    expect(writes).toBeGreaterThanOrEqual(1);
    // Later calls still see that single member.
    const later = await cloud.call('member', { action: 'me' }, 'it_burst_user');
    expect(later.data.member._id).toBe([...memberIds][0]);
  });

  test('a refused 5 MB body leaves the keep-alive connection usable for the next request', async () => {
    const agent = new (require('http').Agent)({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; text: string; socket: unknown }>((resolve, reject) => {
        const req = require('http').request(
          `${cloud.url}/fn/member`,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'x-wx-openid': 'it_big' },
          },
          (res: any) => {
            let text = '';
            res.on('data', (c: Buffer) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode, text, socket: req.socket }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const big = await send(JSON.stringify({ action: 'me', pad: 'x'.repeat(5 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const next = await send(JSON.stringify({ action: 'me' }));
    expect(next.status).toBe(200);
    expect(next.socket).toBe(big.socket); // the same connection, not a reconnect
    agent.destroy();
  });

  test('/__admin/db/find reads the pay sandbox (documents hold only JSON values)', async () => {
    await cloud.admin('/__admin/db/put', {
      collection: 'sv_packages',
      docs: [{ _id: 'sv_100', name: '充 100 元', pay: 10000, bonus: 0, onShelf: true, createdAt: 1 }],
    });
    await cloud.call('member', { action: 'me' }, 'it_topup');
    const t = await cloud.call('member', { action: 'topup', packageId: 'sv_100' }, 'it_topup');
    expect(t.ok).toBe(true);
    const found = await cloud.admin<any>('/__admin/db/find', {
      collection: '__sandbox_pay',
      query: { _id: t.data.outTradeNo },
    });
    expect(found.ok).toBe(true);
    expect(found.data).toHaveLength(1);
  });
});
