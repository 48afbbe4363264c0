import { issueMemberCode, MEMBER_CODE_TTL_MS, verifyMemberCode } from './member-code';

const SECRET = 'test-secret';
const now = Date.UTC(2026, 10, 25, 2);

describe('member code', () => {
  it('verifies a fresh code and returns the member', () => {
    const { code, expiresAt } = issueMemberCode('m_1', now, SECRET);
    expect(expiresAt).toBe(now + MEMBER_CODE_TTL_MS);
    expect(verifyMemberCode(code, now + 59_000, SECRET)).toEqual({ ok: true, memberId: 'm_1', expiresAt });
  });
  it('refuses an expired code', () => {
    const { code } = issueMemberCode('m_1', now, SECRET);
    expect(verifyMemberCode(code, now + MEMBER_CODE_TTL_MS + 1, SECRET)).toEqual({
      ok: false,
      code: 'MEMBER_CODE_EXPIRED',
    });
  });
  it('refuses a code with another member id, a stretched expiry, or another secret', () => {
    const { code } = issueMemberCode('m_1', now, SECRET);
    const [, exp, sig] = code.split('.');
    expect(verifyMemberCode(`m_2.${exp}.${sig}`, now, SECRET)).toMatchObject({ code: 'MEMBER_CODE_INVALID' });
    expect(verifyMemberCode(`m_1.${(now + 3600_000).toString(36)}.${sig}`, now, SECRET)).toMatchObject({
      code: 'MEMBER_CODE_INVALID',
    });
    expect(verifyMemberCode(code, now, 'other')).toMatchObject({ code: 'MEMBER_CODE_INVALID' });
  });
  it('refuses garbage', () => {
    for (const bad of [undefined, 42, '', 'a.b', 'x'.repeat(300), '..'])
      expect(verifyMemberCode(bad, now, SECRET).ok).toBe(false);
  });
});
