// E2E in Chromium: the h5 build served by the local cloud — dev login as user_1, then the home page shows the member.
import type { Browser, Page } from 'playwright-core';
import { closeH5, openH5, screenshot } from '../helpers/browser';
import type { RunningCloud } from '../helpers/local-cloud';

describe('h5 over the local cloud', () => {
  let cloud: RunningCloud;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ cloud, browser, page } = await openH5(errors));
  });
  afterAll(() => closeH5(browser, cloud));

  it('redirects to dev login, logs in as user_1 and shows the member on home', async () => {
    await page.goto(`${cloud.url}/`);
    await page.waitForURL(/pages\/dev-login\/index/, { timeout: 20000 });

    const identity = page.locator('.dev-identity[data-openid="user_1"]');
    await identity.waitFor({ state: 'visible' });
    await identity.click();

    await page.waitForURL(/pages\/index\/index/, { timeout: 20000 });
    const nickname = page.locator('#me-nickname');
    await page.waitForFunction(
      () => (document.querySelector('#me-nickname')?.textContent ?? '').trim() !== '',
      undefined,
      { timeout: 20000 },
    );
    expect((await nickname.textContent())?.trim()).not.toBe('');
    expect((await page.locator('#me-points').textContent())?.trim()).toMatch(/^\d+$/);
    expect(await page.evaluate(() => localStorage.getItem('dev_openid'))).toContain('user_1');

    await screenshot(page, 'e2e-home.png');
    expect(errors).toEqual([]);
  });
});
