// E2E in Chromium: the h5 build served by the local cloud — dev login as user_1, then the home page shows the member.
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('h5 over the local cloud', () => {
  let cloud: RunningCloud;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    cloud = await startLocalCloud({ seed: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  });

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('redirects to dev login, logs in as user_1 and shows the member on home', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(`${cloud.url}/`);
    await page.waitForURL(/pages\/dev-login\/index/, { timeout: 20000 });

    const identity = page.locator('.dev-identity[data-openid="user_1"]');
    await identity.waitFor({ state: 'visible' });
    await identity.click();

    await page.waitForURL(/pages\/index\/index/, { timeout: 20000 });
    const nickname = page.locator('#me-nickname');
    await page.waitForFunction(() => (document.querySelector('#me-nickname')?.textContent ?? '').trim() !== '',
      undefined, { timeout: 20000 });
    expect((await nickname.textContent())?.trim()).not.toBe('');
    expect((await page.locator('#me-points').textContent())?.trim()).toMatch(/^\d+$/);
    expect(await page.evaluate(() => localStorage.getItem('dev_openid'))).toContain('user_1');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-home.png') });
    expect(errors).toEqual([]);
  });
});
