import { joinSourceFrom, parseScene } from './join-source';

describe('join source', () => {
  it('reads a guide code scene (decoded or not)', () => {
    expect(joinSourceFrom({ scene: 1047, query: { scene: encodeURIComponent('g=guide_1&s=store_1') } })).toEqual({
      channel: 'guide',
      scene: 1047,
      guideId: 'guide_1',
      storeId: 'store_1',
    });
  });
  it('reads store, referral and ad query params', () => {
    expect(joinSourceFrom({ query: { store: 'store_2' } })).toMatchObject({ channel: 'store', storeId: 'store_2' });
    expect(joinSourceFrom({ query: { inviter: 'm_12' } })).toMatchObject({ channel: 'referral', inviterId: 'm_12' });
    expect(joinSourceFrom({ query: { utm: 'spring_ad' } })).toMatchObject({ channel: 'ad', campaign: 'spring_ad' });
  });
  it('falls back to the launch scene', () => {
    expect(joinSourceFrom({ scene: 1035 }).channel).toBe('official_account');
    expect(joinSourceFrom({ scene: 1007 }).channel).toBe('share');
    expect(joinSourceFrom({ scene: 1001 }).channel).toBe('direct');
    expect(joinSourceFrom(undefined)).toEqual({ channel: 'direct', scene: null });
  });
  it('ignores values that are not plain ids', () => {
    expect(parseScene('g=<script>&s=store_1')).toEqual({ s: 'store_1' });
    expect(joinSourceFrom({ query: { inviter: { $ne: null } as unknown as string } }).channel).toBe('direct');
  });
});
