import { churnRisk, stageOf } from './lifecycle';

const DAY = 86400000;
const now = Date.UTC(2026, 10, 25);
const p = (orderCount: number, firstDaysAgo: number | null, lastDaysAgo: number | null) => ({
  orderCount,
  firstOrderAt: firstDaysAgo === null ? null : now - firstDaysAgo * DAY,
  lastOrderAt: lastDaysAgo === null ? null : now - lastDaysAgo * DAY,
});

describe('lifecycle stage', () => {
  it('moves through the journey by order count', () => {
    expect(stageOf(p(0, null, null), now)).toBe('new');
    expect(stageOf(p(1, 5, 5), now)).toBe('first_order');
    expect(stageOf(p(2, 20, 5), now)).toBe('repurchase');
    expect(stageOf(p(6, 100, 5), now)).toBe('loyal');
  });
  it("judges at-risk and lost by the member's own rhythm", () => {
    // Buys every 10 days: 35 days quiet is at risk; a monthly buyer quiet for 35 days is not.
    expect(stageOf(p(10, 90, 35), now)).toBe('at_risk');
    expect(stageOf(p(4, 90, 35), now)).toBe('loyal');
    expect(stageOf(p(3, 400, 300), now)).toBe('lost');
  });
  it('raises churn risk as the next order gets overdue', () => {
    expect(churnRisk(p(5, 40, 5), now)).toBe(0);
    expect(churnRisk(p(5, 40, 40), now)).toBe(100);
    expect(churnRisk(p(0, null, null), now)).toBe(0);
  });
});
