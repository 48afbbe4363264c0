// E2E in Chromium: shopping over the seeded local cloud — dev login as a consumer (typed openid), open a
// product from home, buy 1 for in-store pickup, see the server-priced breakdown, submit, pay in the
// sandbox and land on the order detail showing 待发货.
import type { Browser, Page } from 'playwright-core';
import { closeH5, loginAs, openH5, screenshot } from '../helpers/browser';
import type { RunningCloud } from '../helpers/local-cloud';
const CONSUMER = 'user_9';

describe('shopping in h5 over the local cloud', () => {
  let cloud: RunningCloud;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ cloud, browser, page } = await openH5(errors));
  });
  afterAll(() => closeH5(browser, cloud));

  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

  it('buys one product for pickup, pays in the sandbox and shows 待发货', async () => {
    const before = await cloud.call('shop', { action: 'myOrders' }, CONSUMER);
    expect(before.ok).toBe(true);

    // Dev login with a typed openid.
    await loginAs(page, cloud.url, CONSUMER);
    await page.waitForFunction(
      () => (document.querySelector('#me-nickname')?.textContent ?? '').trim() !== '',
      undefined,
      { timeout: 20000 },
    );

    // Home: the shop section lists products; open the first one.
    const card = page.locator('.product-card[data-id]').first();
    await card.waitFor({ state: 'visible', timeout: 20000 });
    const productId = await card.getAttribute('data-id');
    expect(productId).toBeTruthy();
    await card.click();
    await page.waitForURL(new RegExp(`package-shop/pages/product/index\\?id=${productId}`), { timeout: 20000 });
    await page.waitForFunction(
      () => (document.querySelector('#product-name')?.textContent ?? '').trim() !== '',
      undefined,
      { timeout: 20000 },
    );

    // 立即购买 → checkout with qty 1, pickup by default.
    await page.locator('#buy-now').click();
    await page.waitForURL(/package-shop\/pages\/checkout\/index/, { timeout: 20000 });
    await page.locator('#fulfilment-pickup').click();
    await page.waitForFunction(
      () => /^¥\d+\.\d{2}$/.test((document.querySelector('#pay-amount')?.textContent ?? '').trim()),
      undefined,
      { timeout: 20000 },
    );
    expect(await text('#store-name')).toContain('拾光咖啡');
    const breakdown = await text('#price-breakdown');
    for (const label of ['商品金额', '会员优惠', '活动优惠', '优惠券', '积分抵扣', '储值支付', '实付'])
      expect(breakdown).toContain(label);
    const payText = await text('#pay-amount');
    await page.waitForFunction(
      () => !document.querySelector('#submit-order')?.className.includes('nut-button-disabled'),
      undefined,
      { timeout: 20000 },
    );
    await screenshot(page, 'e2e-checkout.png');
    expect(await page.locator('#submit-order').count()).toBe(1);

    // Submit → sandbox pay → order detail.
    await page.locator('#submit-order').click();
    await page.waitForURL(/package-shop\/pages\/order-detail\/index\?id=/, { timeout: 20000 });
    await page.waitForFunction(
      () => (document.querySelector('#order-status')?.textContent ?? '').trim() === '待发货',
      undefined,
      { timeout: 20000 },
    );
    expect(await text('#order-status')).toBe('待发货');
    expect(await text('#order-pay-amount')).toBe(payText);
    // Payment success asks for the order notice subscription (h5: a small confirm; 确定 subscribes in the sandbox).
    await page
      .locator('.taro__modal .taro-modal__title', { hasText: '订阅活动提醒？' })
      .waitFor({ state: 'visible', timeout: 20000 });
    await page.locator('.taro__modal .taro-model__confirm').click();
    await page.locator('.taro__modal').waitFor({ state: 'hidden', timeout: 20000 });
    // Wait for the page transition to settle before the screenshot.
    await page.waitForFunction(
      () => {
        const head = document.querySelector('.od-head');
        return !!head && Math.abs(head.getBoundingClientRect().left) < 1;
      },
      undefined,
      { timeout: 20000 },
    );
    await page.waitForTimeout(300);
    await screenshot(page, 'e2e-order.png');

    // The server agrees: one new paid order for that product, paid what the page showed.
    const after = await cloud.call('shop', { action: 'myOrders' }, CONSUMER);
    expect(after.data.orders.length).toBe(before.data.orders.length + 1);
    const order = after.data.orders[0];
    expect(order.status).toBe('paid');
    expect(order.fulfilment).toBe('pickup');
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0].qty).toBe(1);
    expect(order.lines[0].productId).toBe(productId);
    expect(`¥${(order.payAmount / 100).toFixed(2)}`).toBe(payText);
    expect(errors).toEqual([]);
  });
});
