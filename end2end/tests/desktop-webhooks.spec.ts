import { expect, test, type Page } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { AdminOrg } from './admin-org';
import { e2e } from './env';

// An admin subscribes a URL that refuses every event, watches the delivery
// become a dead letter, redelivers it, rotates the secret and deletes the
// subscription; then reads time to human.
const org = new AdminOrg('hook');

test.beforeAll(() => org.create());

// Clicks Refresh until `check` passes: the worker runs on its own schedule.
async function refreshUntil(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await check();
  }).toPass({ timeout: 20_000 });
}

test('webhooks: a refused delivery becomes a dead letter and Redeliver sends it again', async ({ page, request }) => {
  await org.signIn(page, '/admin/webhooks');
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.getByText('No subscriptions yet.')).toBeVisible();

  // The server's own API answers 404 here: a receiver that refuses everything.
  const url = `${e2e.base}/api/v1/no-such-receiver-${org.slug}`;
  await page.getByLabel('URL (http or https)').fill(url);
  await page.getByLabel('Events (comma-separated, * for all)').fill('handoff.created');
  await page.getByRole('button', { name: 'Add subscription' }).click();
  const secret = page.getByTestId('new-secret');
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{48}$/);
  const firstSecret = (await secret.textContent())!;
  const hook = page.locator(`section[data-url="${url}"]`);
  await expect(hook).toContainText('Nothing sent yet.');

  const agent = new Agent(request, org.key);
  await agent.takeover('Customer wants a refund.');

  const row = hook.locator('tr[data-event="handoff.created"]');
  await refreshUntil(page, () => expect(row).toHaveAttribute('data-status', 'dead', { timeout: 1_000 }));
  await expect(row).toContainText('dead letter');
  await expect(row).toContainText('receiver answered 404');
  await expectNoSeriousA11yViolations(page);

  // Redeliver: tried once more (still refused, so dead again, with 2 attempts).
  await row.getByRole('button', { name: 'Redeliver' }).click();
  await refreshUntil(page, async () => {
    await expect(row).toHaveAttribute('data-status', 'dead', { timeout: 1_000 });
    await expect(row.locator('td').nth(3)).toHaveText('2', { timeout: 1_000 });
  });
  await page.screenshot({ path: 'test-results/desktop-webhooks.png', fullPage: true });

  // A rotated secret is shown once, in place of the first.
  await hook.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(secret).not.toHaveText(firstSecret);
  await expect(secret).toHaveText(/^whsec_/);

  await hook.getByRole('button', { name: 'Delete subscription' }).click();
  await expect(hook).toHaveCount(0);
  await expect(secret).toHaveCount(0);
  expect((await agent.get('/webhooks')).data).toEqual([]);
});

test('time to human: linked from /admin, a table per operator and per chain', async ({ page, request }) => {
  await new Agent(request, org.key).takeover('Customer asks for a callback.');
  await org.signIn(page, '/admin');
  await page.getByRole('link', { name: 'Time to human' }).first().click();
  await expect(page).toHaveURL(/\/admin\/metrics$/);
  await expect(page.getByRole('heading', { name: 'Time to human', level: 1 })).toBeVisible();
  // The takeover above, routed to no particular chain.
  await expect(page.getByTestId('by-chain').locator('tr[data-chain="default"]')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel('From (RFC 3339)').fill('last week');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('alert')).toContainText('from: must be an RFC 3339 time');
});
