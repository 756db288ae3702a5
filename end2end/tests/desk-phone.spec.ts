import { expect, test } from '@playwright/test';
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
});

test('the phone header reaches every page and fits the screen', async ({ page, request }) => {
  const { hid } = await new Agent(request, key).takeover('Phone header check');
  await page.goto('/login?next=/inbox');
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');

  for (const [link, path] of [['History', '/history'], ['Settings', '/settings'], ['Inbox', '/inbox']]) {
    const banner = page.getByRole('banner');
    await expect(banner.getByText('Ria')).toBeVisible();
    // A support operator is not offered Administration.
    await expect(banner.getByRole('link', { name: 'Administration' })).toHaveCount(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path}: nothing scrolls sideways`).toBeLessThanOrEqual(360);
    await banner.getByRole('link', { name: link, exact: true }).tap();
    await page.waitForURL((u) => u.pathname === path);
  }
  await page.goto(`/m/${hid}`);
  await expect(page.getByRole('banner').getByRole('link', { name: 'History', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
