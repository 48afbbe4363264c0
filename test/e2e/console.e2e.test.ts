// E2E in Chromium: the staff consoles over the seeded local cloud — as op_admin the dashboard's
// repurchase KPI equals the server's health chart, and a segment built by picking 重要挽留客户 shows
// the server's count; as guide_1 a store_1 consumer's member code (pasted, as h5 has no camera scan)
// shows the scan result card.
import type { Browser, Page } from 'playwright-core';
import { closeH5, openH5, screenshot } from '../helpers/browser';
import type { RunningCloud } from '../helpers/local-cloud';
const OPERATOR = 'op_admin';
const GUIDE = 'guide_1';

// Same formatting as the client's utils/format percent().
const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;

describe('staff consoles in h5 over the local cloud', () => {
  let cloud: RunningCloud;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ cloud, browser, page } = await openH5(errors));
  });
  afterAll(() => closeH5(browser, cloud));

  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

  // Dev login as one of the listed identities, landing on home.
  async function login(openid: string) {
    await page.goto(`${cloud.url}/#/pages/dev-login/index`);
    await page.reload();
    const identity = page.locator(`.dev-identity[data-openid="${openid}"]`);
    await identity.waitFor({ state: 'visible', timeout: 20000 });
    await identity.click();
    await page.waitForURL(/pages\/index\/index/, { timeout: 20000 });
  }

  async function openMine() {
    await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();
    await page.waitForURL(/pages\/mine\/index/, { timeout: 20000 });
  }

  it('operator: dashboard KPI matches the server, and a segment shows its count', async () => {
    const dash = await cloud.call('ops', { action: 'dashboard', charts: ['health'] }, OPERATOR);
    expect(dash.ok).toBe(true);
    const expected = pct(dash.data.health.data.repurchaseRate);

    await login(OPERATOR);
    await openMine();
    await page.locator('#ops-entry-dashboard').click();
    await page.waitForURL(/package-ops\/pages\/console\/index/, { timeout: 20000 });
    await page.waitForFunction(
      () => /^\d+\.\d%$/.test((document.querySelector('#kpi-repurchase')?.textContent ?? '').trim()),
      undefined,
      { timeout: 20000 },
    );
    expect(await text('#kpi-repurchase')).toBe(expected);
    // The judged KPI is same-product repurchase (单品回购), shown beside any repurchase.
    expect(await text('#kpi-same-product')).toBe(pct(dash.data.health.data.sameProductRepurchaseRate));
    expect(await text('#kpi-multicategory')).toBe(pct(dash.data.health.data.multiCategoryRate));
    expect(await page.locator('#chart-cohorts .db-heat__row[data-cohort]').count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await screenshot(page, 'e2e-dashboard.png');

    // Segment builder: pick 重要挽留客户, the live count becomes the server's.
    const seg = await cloud.call('ops', { action: 'previewSegment', def: { rfmLayers: ['重要挽留客户'] } }, OPERATOR);
    expect(seg.ok).toBe(true);
    await page.locator('#ops-nav-segments').click();
    await page.waitForURL(/package-ops\/pages\/segments\/index/, { timeout: 20000 });
    await page.waitForFunction(
      () => /^\d+$/.test((document.querySelector('#segment-count')?.textContent ?? '').trim()),
      undefined,
      { timeout: 20000 },
    );
    await page.locator('.seg-chip[data-group="rfmLayers"][data-value="重要挽留客户"]').click();
    await page.waitForFunction(
      (want) => {
        const el = document.querySelector('#segment-count');
        return el?.getAttribute('data-counting') === '0' && (el.textContent ?? '').trim() === want;
      },
      String(seg.data.count),
      { timeout: 20000 },
    );
    expect(await text('#segment-count')).toBe(String(seg.data.count));
    expect(await text('#segment-summary')).toContain('重要挽留客户');
  });

  it('guide: pastes a store_1 consumer’s member code and sees the scan result', async () => {
    const found = await cloud.admin('/__admin/db/find', {
      collection: 'members',
      query: { storeId: 'store_1', mergedInto: { $exists: false } },
      limit: 20,
    });
    const consumer = found.data.find((m: { openid?: string }) => /^user_\d+$/.test(String(m.openid)));
    expect(consumer).toBeTruthy();
    const code = await cloud.call('member', { action: 'memberCode' }, consumer.openid);
    expect(code.ok).toBe(true);

    await login(GUIDE);
    await openMine();
    await page.locator('#guide-entry-scan').click();
    await page.waitForURL(/package-guide\/pages\/scan\/index/, { timeout: 20000 });
    await page.locator('#guide-scan-input input').fill(code.data.code);
    await page.locator('#guide-scan-btn').click();
    await page.locator('#scan-result').waitFor({ state: 'visible', timeout: 20000 });
    expect(await page.locator('#scan-result').getAttribute('data-id')).toBe(consumer._id);
    expect(await text('#scan-result-name')).toBe(consumer.nickname);
    await page.waitForTimeout(300);
    await screenshot(page, 'e2e-guide.png');
    expect(errors).toEqual([]);
  });
});
