import { expect, test, type Page } from '@playwright/test';
import { Agent } from './agent';
import { tapin } from './cli';

// The desk header on a 360 px phone: one compact bar, every page one tap away,
// nothing wider than the screen (issue 15).
const slug = `deskp-${Date.now().toString(36)}`;
const email = `ria@${slug}.test`;
const password = 'a phone password';
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  tapin('operator', 'create', '--org', slug, '--email', email, '--name', 'Ria', '--role', 'support', '--password', password);
  tapin('operator', 'create', '--org', slug, '--email', `boss@${slug}.test`, '--name', 'Boss', '--role', 'admin', '--password', password);
});

async function signIn(page: Page) {
  await page.goto('/login?next=/inbox');
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');
}

test('the phone header reaches every page and fits the screen', async ({ page, request }) => {
  const { hid } = await new Agent(request, key).takeover('Phone header check');
  await signIn(page);

  for (const [link, path] of [['History', '/history'], ['Settings', '/settings'], ['Inbox', '/inbox']]) {
    const banner = page.locator('header.desk');
    await expect(banner.getByText('Ria')).toBeVisible();
    // A support operator is not offered Administration.
    await expect(banner.getByRole('link', { name: 'Administration' })).toHaveCount(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path}: nothing scrolls sideways`).toBeLessThanOrEqual(360);
    await banner.getByRole('link', { name: link, exact: true }).tap();
    await page.waitForURL((u) => u.pathname === path);
  }
  await page.goto(`/m/${hid}`);
  await expect(page.locator('header.desk').getByRole('link', { name: 'History', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test('a canned reply is inserted with / on the phone', async ({ page, request }) => {
  // An admin adds it (the admin's own session, through the page's server functions).
  const form = { organization: slug, email: `boss@${slug}.test`, password };
  expect((await request.post('/fn/login', { form })).status()).toBeLessThan(400);
  const added = await request.post('/fn/admin_add_snippet', { form: { shortcut: 'hours', body: 'We answer from 8 to 20, every day.' } });
  expect(added.status(), await added.text()).toBe(200);

  const { hid } = await new Agent(request, key).takeover('Opening hours?', [['user', 'When are you open?']]);
  await signIn(page);
  await page.goto(`/m/${hid}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Accept' }).tap();
  const box = page.getByLabel('Message to the customer');
  await expect(box).toBeEnabled();
  await box.tap();
  await box.pressSequentially('/ho');
  await page.getByRole('option', { name: /hours/ }).tap();
  await expect(box).toHaveValue('We answer from 8 to 20, every day.');
  await page.getByRole('button', { name: 'Send' }).tap();
  await expect(page.locator('li.msg.operator:not(.pending)').last()).toContainText('from 8 to 20');
});
