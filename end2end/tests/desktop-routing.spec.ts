import { expect, test } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { AdminOrg } from './admin-org';

// An admin adds a routing policy, tries it in the test box, and sees an approval
// resolved by it; an operator chooses how to be reached per urgency.
const org = new AdminOrg('rt');

test.beforeAll(() => org.create());

test('routing: a policy is added, tested and auto-approves a safe call; the timeline shows it', async ({ page, request }) => {
  await org.signIn(page, '/admin/routing');
  await expect(page.getByRole('heading', { name: 'Routing', level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // A broken condition is refused with its position; nothing is added.
  await page.getByLabel('Name').fill('Safe lookups');
  await page.getByLabel('Condition').fill("subject_ref == ");
  await page.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByRole('alert')).toContainText('condition: at position');
  await expect(page.getByTestId('policies').locator('tbody')).toContainText('No policy yet');

  await page.getByLabel('Condition').fill("kind == 'approval' and subject_ref == 'orders.lookup'");
  await page.getByLabel('Resolve without a person').selectOption('approve');
  await page.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByTestId('policies')).toContainText('approve without a person');

  // The test box says what would happen, without creating anything.
  await page.getByLabel('Kind').selectOption('approval');
  await page.getByLabel('Subject ref (approvals)').fill('orders.lookup');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('test-result')).toContainText('Matches “Safe lookups”');
  await expect(page.getByTestId('test-result')).toContainText('Resolved without a person: approve');
  await page.getByLabel('Subject ref (approvals)').fill('refund.create');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('test-result')).toContainText('No policy matches');
  await page.screenshot({ path: 'test-results/desktop-routing.png', fullPage: true });

  // The agent's lookup is approved by the policy; its timeline says so.
  const agent = new Agent(request, org.key);
  const { aid } = await agent.approval({ subject_ref: 'orders.lookup' });
  const detail = await agent.get(`/approvals/${aid}`);
  expect(detail.status).toBe('approved');
  await page.goto(`/m/${aid}`);
  await page.getByText(/^Timeline/).click();
  await expect(page.getByTestId('timeline')).toContainText('policy “Safe lookups”');
  await expect(page.getByTestId('timeline')).toContainText('decide → solved');
});

test('settings: channels per urgency need a phone for SMS, and stay chosen', async ({ page }) => {
  await org.signIn(page, '/settings');
  await expect(page.getByRole('heading', { name: 'How to reach me' })).toBeVisible();
  await page.getByLabel('SMS when urgent').check();
  await page.getByRole('button', { name: 'Save how to reach me' }).click();
  await expect(page.getByRole('alert')).toContainText('phone');
  await page.getByLabel(/Phone for SMS and calls/).fill('+49 151 1234 5678');
  await page.getByRole('button', { name: 'Save how to reach me' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('SMS when urgent')).toBeChecked();
  await expect(page.getByLabel(/Phone for SMS and calls/)).toHaveValue('+4915112345678');
  await expectNoSeriousA11yViolations(page);
});
