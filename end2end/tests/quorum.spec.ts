import { expect, test, type Browser } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';
import { openAs } from './link';

// Four-eyes and quorum approvals on the phone page (issue 14 §3).
const slug = `quorum-${Date.now().toString(36)}`;
const alice = `alice@${slug}.test`;
const bob = `bob@${slug}.test`;
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  tapin('operator', 'create', '--org', slug, '--email', alice, '--name', 'Alice', '--role', 'billing_manager');
  tapin('operator', 'create', '--org', slug, '--email', bob, '--name', 'Bob', '--role', 'billing_manager');
});

async function phone(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  return { ctx, page: await ctx.newPage() };
}

test('two of two: the first approve is a vote, the second decides', async ({ browser, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval({ required_approvals: 2 });
  const a = await phone(browser);
  await openAs(a.page, aid, alice);
  await expect(a.page.getByTestId('quorum')).toContainText('0 of 2 approved');
  await a.page.getByRole('button', { name: 'Approve' }).tap();
  await expect(a.page.getByTestId('voted')).toContainText('Your approval is recorded');
  await expect(a.page.getByRole('button', { name: 'Approve' })).toBeHidden();
  const pending = await agent.get(`/approvals/${aid}`);
  expect([pending.status, pending.approvals.length]).toEqual(['pending', 1]);

  const b = await phone(browser);
  await openAs(b.page, aid, bob);
  await expect(b.page.getByTestId('quorum')).toContainText('1 of 2 approved: Alice');
  await expectNoSeriousA11yViolations(b.page);
  await b.page.screenshot({ path: 'test-results/quorum-phone-360.png', fullPage: true });
  await b.page.getByRole('button', { name: 'Approve' }).tap();
  await expect(b.page.getByTestId('outcome')).toContainText('Approved by you');
  expect((await agent.get(`/approvals/${aid}`)).status).toBe('approved');
  await a.ctx.close();
  await b.ctx.close();
});

test('four-eyes: the requester sees why they cannot approve their own request', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval({ requested_by: alice, four_eyes: true });
  await openAs(page, aid, alice);
  await expect(page.getByTestId('cannot-decide')).toContainText('Four-eyes');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
});
