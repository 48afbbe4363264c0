import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalCloud } from './host';

// Two tiny deployable folders, written like real bundles: `require('wx-server-sdk')`, exports.main.
function makeFunctions(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fns-'));
  const fn = (name: string, code: string, config: object = {}) => {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'index.js'), code);
    fs.writeFileSync(path.join(dir, name, 'config.json'), JSON.stringify(config));
  };
  fn(
    'caller',
    `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    exports.main = async (event) => {
      const r = await cloud.callFunction({ name: 'callee', data: { n: event.n } });
      return { mine: cloud.getWXContext(), callee: r.result };
    };`,
  );
  fn(
    'callee',
    `const cloud = require('wx-server-sdk');
    exports.main = async (event) => ({ doubled: event.n * 2, ctx: cloud.getWXContext() });`,
  );
  fn(
    'ticker',
    `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    exports.main = async (event) => {
      await cloud.database().collection('ticks').add({ data: { at: event.Time, source: cloud.getWXContext().SOURCE } });
      return event;
    };`,
    { triggers: [{ name: 'everyMinute', type: 'timer', config: '0 * * * * * *' }] },
  );
  return dir;
}

describe('local cloud host', () => {
  let cloud: LocalCloud;
  beforeEach(async () => {
    cloud = new LocalCloud({ functionsDir: makeFunctions(), dataDir: null, timers: false, port: 0 });
    await cloud.listen();
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('callFunction runs the callee with the same OPENID and SOURCE chained with ,scf', async () => {
    const r = (await cloud.invoke('caller', { n: 21 }, cloud.ctx('user_9', 'wx_client'))) as any;
    expect(r.callee.doubled).toBe(42);
    expect(r.callee.ctx).toMatchObject({ OPENID: 'user_9', SOURCE: 'wx_client,scf', ENV: 'local' });
    expect(r.mine).toMatchObject({ OPENID: 'user_9', SOURCE: 'wx_client' });
  });

  it('keeps each concurrent invocation’s own caller', async () => {
    const rs = (await Promise.all(
      ['a', 'b', 'c', 'd'].map((o) => cloud.invoke('callee', { n: 1 }, cloud.ctx(o, 'wx_client'))),
    )) as any[];
    expect(rs.map((r) => r.ctx.OPENID)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fires a timer trigger from config.json on demand, as wx_trigger with no OPENID', async () => {
    const at = Date.UTC(2026, 10, 25, 2);
    const ev = (await cloud.trigger('ticker', at)) as any;
    expect(ev).toMatchObject({ Type: 'Timer', TriggerName: 'everyMinute', Time: new Date(at).toISOString() });
    const ticks = cloud.engine.find('ticks', {});
    expect(ticks).toEqual([expect.objectContaining({ source: 'wx_trigger' })]);
  });

  it('refuses to start inside a real cloud function', () => {
    process.env.TENCENTCLOUD_RUNENV = 'SCF';
    try {
      expect(() => new LocalCloud({ functionsDir: makeFunctions(), dataDir: null })).toThrow(
        /never run inside a real cloud function/,
      );
    } finally {
      delete process.env.TENCENTCLOUD_RUNENV;
    }
  });
});
