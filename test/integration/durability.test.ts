// An acknowledged write survives a kill -9 of the local cloud, and a graceful restart keeps data.
import * as fs from 'fs';
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

const started: RunningCloud[] = [];
const start = async (dataDir?: string) => {
  const c = await startLocalCloud(dataDir ? { dataDir } : {});
  started.push(c);
  return c;
};
afterAll(async () => {
  for (const c of started) {
    try {
      c.kill9();
    } catch {
      /* already gone */
    }
  }
  for (const dir of new Set(started.map((c) => c.dataDir))) fs.rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  test('kill -9 right after an acknowledged write: the member is still there with the same _id', async () => {
    const a = await start();
    const created = await a.raw('member', { action: 'me' }, 'dur_kill_user');
    expect(created.body.ok).toBe(true);
    expect(created.db.writes).toBe(1); // it really was created by this call
    const id = created.body.data.member._id;
    a.kill9();

    const b = await start(a.dataDir);
    const again = await b.raw('member', { action: 'me' }, 'dur_kill_user');
    expect(again.body.ok).toBe(true);
    expect(again.body.data.member._id).toBe(id);
    expect(again.db.writes).toBe(0); // found, not re-created
    await b.stop();
  });

  test('a graceful restart keeps data', async () => {
    const a = await start();
    const ids: string[] = [];
    for (const u of ['dur_g_1', 'dur_g_2', 'dur_g_3'])
      ids.push((await a.call('member', { action: 'me' }, u)).data.member._id);
    const b = await a.restart();
    started.push(b);
    expect(b.dataDir).toBe(a.dataDir);
    for (const [i, u] of ['dur_g_1', 'dur_g_2', 'dur_g_3'].entries()) {
      const r = await b.raw('member', { action: 'me' }, u);
      expect(r.body.data.member._id).toBe(ids[i]);
      expect(r.db.writes).toBe(0);
    }
    // And survives a kill after that restart too (the log was compacted, then appended to).
    await b.call('member', { action: 'me' }, 'dur_g_4');
    b.kill9();
    const c = await start(a.dataDir);
    for (const u of ['dur_g_1', 'dur_g_4']) expect((await c.raw('member', { action: 'me' }, u)).db.writes).toBe(0);
    await c.stop();
  });
});
