// E2E in Chromium: membership over the seeded local cloud — dev login as user_7, member center,
// daily check-in (+N points shown on the page), member center points up by N, member code QR.
import type { Browser, Page } from 'playwright-core';
import { closeH5, loginAs, openH5, screenshot } from '../helpers/browser';
import type { RunningCloud } from '../helpers/local-cloud';
const CONSUMER = 'user_7';

describe('membership in h5 over the local cloud', () => {
  let cloud: RunningCloud;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ cloud, browser, page } = await openH5(errors));
  });
  afterAll(() => closeH5(browser, cloud));

  const text = async (selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

  it('checks in from the member center and shows the member code', async () => {
    // The seed's clock is 2026-11-25 but the server runs on the real clock: the consumer has not checked in today.
    const before = await cloud.call('member', { action: 'me' }, CONSUMER);
    expect(before.ok).toBe(true);
    expect(before.data.member.checkedInToday).toBe(false);

    // Dev login with a typed openid.
    await loginAs(page, cloud.url, CONSUMER);
    await page.waitForFunction(
      () => (document.querySelector('#me-nickname')?.textContent ?? '').trim() !== '',
      undefined,
      { timeout: 20000 },
    );

    // Member center (tab).
    await page.locator('.weui-tabbar__item', { hasText: '会员' }).click();
    await page.waitForURL(/pages\/member\/index/, { timeout: 20000 });
    await page.waitForFunction(
      () => /^\d+$/.test((document.querySelector('#member-points')?.textContent ?? '').trim()),
      undefined,
      { timeout: 20000 },
    );
    const pointsBefore = Number(await text('#member-points'));
    expect(pointsBefore).toBe(before.data.member.points);
    await screenshot(page, 'e2e-member.png');

    // Check-in page: tap the button, the page shows “+N”.
    await page.locator('#entry-checkin').click();
    await page.waitForURL(/package-member\/pages\/checkin\/index/, { timeout: 20000 });
    const button = page.locator('#checkin-btn');
    await button.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () => !document.querySelector('#checkin-btn')?.className.includes('nut-button-disabled'),
      undefined,
      { timeout: 20000 },
    );
    await button.click();
    await page.waitForFunction(
      () => /\+\d+/.test(document.querySelector('#checkin-result')?.textContent ?? ''),
      undefined,
      { timeout: 20000 },
    );
    const earned = Number(/\+(\d+)/.exec(await text('#checkin-result'))![1]);
    expect(earned).toBeGreaterThan(0);
    // Check-in success asks for the reminder subscription: 确定 subscribes in the sandbox and reports accept.
    await page
      .locator('.taro__modal .taro-modal__title', { hasText: '订阅活动提醒？' })
      .waitFor({ state: 'visible', timeout: 20000 });
    await page.locator('.taro__modal .taro-model__confirm').click();
    await page.locator('.taro__modal').waitFor({ state: 'hidden', timeout: 20000 });
    await page.waitForFunction(
      () => (document.querySelector('#checkin-streak')?.textContent ?? '').trim() === '1',
      undefined,
      { timeout: 20000 },
    );
    await page.evaluate(() => document.querySelector('.taro_page')?.scrollTo(0, 0));
    await screenshot(page, 'e2e-checkin.png');

    // Back to the member center: points went up by exactly N.
    await page.goBack();
    await page.waitForURL(/pages\/member\/index/, { timeout: 20000 });
    const expected = String(pointsBefore + earned);
    await page.waitForFunction(
      (want) => (document.querySelector('#member-points')?.textContent ?? '').trim() === want,
      expected,
      { timeout: 20000 },
    );
    expect(await text('#member-points')).toBe(expected);
    expect(await page.locator('#member-checked-in').count()).toBe(1);

    // Member code: a QR PNG and the anti-forwarding notice.
    await page.locator('#member-code-entry').click();
    await page.waitForURL(/package-member\/pages\/member-code\/index/, { timeout: 20000 });
    await page.waitForFunction(
      () => (document.querySelector('#member-code-img')?.getAttribute('src') ?? '').startsWith('data:image/png'),
      undefined,
      { timeout: 20000 },
    );
    expect(await page.locator('#member-code-img').getAttribute('src')).toMatch(/^data:image\/png/);
    expect(await page.getByText('仅限本人使用，请勿截图转发').count()).toBeGreaterThan(0);

    const after = await cloud.call('member', { action: 'me' }, CONSUMER);
    expect(after.data.member.points).toBe(pointsBefore + earned);
    expect(after.data.member.checkedInToday).toBe(true);
    // The accepted templates were reported: the member now has subscribe quota.
    const subs = await cloud.admin('/__admin/db/find', {
      collection: 'subscriptions',
      query: { memberId: before.data.member._id },
    });
    expect(subs.data.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
