// Member fixtures and the ledger invariant over a running local cloud, shared by integration tests.
import type { RunningCloud } from './local-cloud';

const find = async (cloud: RunningCloud, collection: string, query: object) =>
  (await cloud.admin<{ data: any[] }>('/__admin/db/find', { collection, query, limit: 1000 })).data;

/** A member created by the app for `openid` (as a real first call makes it), optionally granted points. */
export async function createMember(
  cloud: RunningCloud,
  openid: string,
  opts: { points?: number; launch?: object } = {},
) {
  const { _id } = (
    await cloud.call('member', { action: 'me', ...(opts.launch ? { launch: opts.launch } : {}) }, openid)
  ).data.member;
  const points = opts.points ?? 0;
  if (points) {
    const [m] = await find(cloud, 'members', { _id });
    await cloud.admin('/__admin/db/put', {
      collection: 'members',
      docs: [{ ...m, points, pointsBuckets: { 2099: points } }],
    });
    await cloud.admin('/__admin/db/put', {
      collection: 'points_ledger',
      docs: [
        {
          _id: `${_id}:grant:t`,
          memberId: _id,
          delta: points,
          balanceAfter: points,
          source: 'grant',
          refId: 't',
          createdAt: 1,
        },
      ],
    });
  }
  return { openid, _id: _id as string };
}

/** The points ledger sums to the balance, the buckets sum to it too, and it never goes below zero. */
export async function expectPointsLedgerMatches(cloud: RunningCloud, memberId: string): Promise<void> {
  const [m] = await find(cloud, 'members', { _id: memberId });
  const pts = await find(cloud, 'points_ledger', { memberId });
  expect(pts.reduce((s, e) => s + e.delta, 0)).toBe(m.points);
  expect(Object.values(m.pointsBuckets ?? {}).reduce((s: number, v) => s + (v as number), 0)).toBe(m.points);
  expect(m.points).toBeGreaterThanOrEqual(0);
}
