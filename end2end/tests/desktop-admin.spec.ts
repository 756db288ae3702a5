import { expect, test, type Page } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';

// An admin manages operators, API keys and approval messages, and checks the audit chain.
const slug = `adm-${Date.now().toString(36)}`;
const admin = `root@${slug}.test`;
const clerk = `clerk@${slug}.test`;
const password = 'an admin password';
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  tapin('operator', 'create', '--org', slug, '--email', admin, '--name', 'Root', '--role', 'admin', '--password', password);
  tapin('operator', 'create', '--org', slug, '--email', clerk, '--name', 'Clerk', '--password', password);
});

async function signIn(page: Page, email: string) {
  await page.goto('/login?next=/admin');
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

test('admin: operators, a key shown once then revoked, messages, verify chain', async ({ page, request }) => {
  await signIn(page, admin);
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expectNoSeriousA11yViolations(page);

  // Add an operator.
  await page.locator('#op-name').fill('Nina');
  await page.locator('#op-email').fill(`nina@${slug}.test`);
  await page.getByLabel('Roles (comma-separated)').fill('support, billing_manager');
  await page.getByRole('button', { name: 'Add operator' }).click();
  await expect(page.locator(`tr[data-email="nina@${slug}.test"]`)).toContainText('Nina');
  await expect(page.locator('#op-name')).toHaveValue('');

  // A key is shown once and works; revoked, it stops working.
  await page.locator('#key-name').fill('ci-agent');
  await page.getByRole('button', { name: 'Create key' }).click();
  const newKey = (await page.getByTestId('new-key').textContent())!.trim();
  expect(newKey).toMatch(/^tk_[0-9a-f]{48}$/);
  expect((await request.get('/api/v1/handoffs', { headers: { 'x-api-key': newKey } })).status()).toBe(200);
  await page.getByRole('button', { name: 'Revoke ci-agent' }).click();
  await expect(page.getByRole('button', { name: 'Revoke ci-agent' })).toHaveCount(0);
  expect((await request.get('/api/v1/handoffs', { headers: { 'x-api-key': newKey } })).status()).toBe(401);

  // Approval messages reach new approvals.
  await page.locator('#holding').fill('One moment, a specialist is checking.');
  await page.getByRole('button', { name: 'Save messages' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  const agent = new Agent(request, key);
  const { cid } = await agent.approval({ suspend_message: null });
  const msgs = await agent.get(`/conversations/${cid}/messages`);
  expect(msgs.data.at(-1).content).toBe('One moment, a specialist is checking.');

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Chain intact');
  await page.screenshot({ path: 'test-results/desktop-admin.png', fullPage: true });
});

test('operators without the admin role cannot use /admin', async ({ page }) => {
  await signIn(page, clerk);
  await expect(page.getByRole('alert')).toContainText('needs the `admin` role');
  await expect(page.getByRole('button', { name: 'Create key' })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an admin form posts plainly and comes back to its page with the change', async ({ page }) => {
    await signIn(page, admin);
    const target = page.getByLabel('Pick up open handoffs within (minutes)');
    await target.fill('7');
    await page.getByRole('button', { name: 'Save target' }).click();
    // Back on the page it was posted from (not the home page), showing what was saved.
    await expect(page).toHaveURL(/\/admin\??$/);
    await expect(target).toHaveValue('7');
  });
});
