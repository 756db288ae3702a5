import { expect, test } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';

// A desk operator signs in with a password and works the queue on a 1280 px screen.
const slug = `desk-${Date.now().toString(36)}`;
const email = `dana@${slug}.test`;
const password = 'correct horse battery staple';
let key = '';
// The key that requested an approval does not decide it: another key does.
let decider = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  decider = tapin('api-key', 'create', '--org', slug, '--scopes', 'approvals:decide');
  tapin('operator', 'create', '--org', slug, '--email', email, '--name', 'Dana', '--role', 'billing_manager', '--password', password);
});

test('sign in, see the queue update live, open an item, sign out', async ({ page, request }) => {
  const agent = new Agent(request, key);
  await agent.takeover('First customer needs a human.');

  await page.goto('/inbox');
  await expect(page.getByRole('heading', { name: 'Sign in to see the inbox' })).toBeVisible();
  await page.goto('/login?next=/inbox');
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('wrong organization, email or password');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByText('First customer needs a human.')).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expectNoSeriousA11yViolations(page);

  // A new handoff appears without a reload; a decided approval leaves.
  const { aid } = await agent.approval();
  await expect(page.getByText('Approve refund.create')).toBeVisible();
  await new Agent(request, decider).post(`/approvals/${aid}/decide`, { decision: 'approve' });
  await expect(page.getByText('Approve refund.create')).toHaveCount(0);

  // Keyboard: the filter form and the items are reachable and usable.
  await page.getByLabel('Kind').selectOption('takeover');
  await page.getByRole('button', { name: 'Filter' }).press('Enter');
  await expect(page).toHaveURL(/kind=takeover/);
  await page.getByText('First customer needs a human.').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('First customer needs a human.');
  await expect(page.getByRole('button', { name: 'Accept' })).toBeVisible();
  await page.screenshot({ path: 'test-results/desktop-handoff.png', fullPage: true });

  await page.goto('/inbox');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { name: 'Sign in to see the inbox' })).toBeVisible();
});
