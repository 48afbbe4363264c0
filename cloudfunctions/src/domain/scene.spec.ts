import { buildScene, isShortCode, isValidScene, SCENE_MAX, shortCodeFor } from './scene';

const hex32 = 'a3f0c9e1b2d34f5a6b7c8d9e0f1a2b3c';

describe('wxacode scenes', () => {
  it('an invite scene for an app-created 32-hex id fits in 32 characters', () => {
    expect(`i=${hex32}`.length).toBe(34);
    const scene = buildScene({ i: shortCodeFor('invite', hex32) });
    expect(scene.length).toBeLessThanOrEqual(SCENE_MAX);
    expect(isValidScene(scene)).toBe(true);
  });
  it('a guide scene fits for any OPENID the staff list can hold (up to 64 characters)', () => {
    expect(buildScene({ g: shortCodeFor('guide', 'o'.repeat(64)) }).length).toBeLessThanOrEqual(SCENE_MAX);
  });
  it('refuses a scene WeChat would refuse', () => {
    expect(() => buildScene({ i: hex32 })).toThrow(RangeError);
    expect(() => buildScene({ i: '中文' })).toThrow(RangeError);
  });
  it('codes are stable, differ by kind, id and attempt, and have a recognisable shape', () => {
    expect(shortCodeFor('invite', hex32)).toBe(shortCodeFor('invite', hex32));
    expect(shortCodeFor('invite', hex32)).not.toBe(shortCodeFor('guide', hex32));
    expect(shortCodeFor('invite', hex32, 1)).not.toBe(shortCodeFor('invite', hex32));
    expect(isShortCode(shortCodeFor('guide', 'guide_1'))).toBe(true);
    expect([isShortCode('guide_1'), isShortCode(hex32), isShortCode('m_5')]).toEqual([false, false, false]);
  });
});
