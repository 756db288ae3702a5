import { expect, test } from '@playwright/test';
import { AdminOrg } from './admin-org';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';

// Deciding from an email (issue 14 §3): an approval email's one-tap link opens
// a confirm page that decides nothing by itself; only its Confirm button does,
// once. And the webhook signature scheme on /admin/webhooks (§2).
const org = new AdminOrg('reach');
const ana = `ana@${org.slug}.test`;

test.beforeAll(() => {
  org.create();
  tapin('operator', 'create', '--org', org.slug, '--email', ana, '--name', 'Ana', '--role', 'billing_manager');
});

/** The one-tap link an approval email carries for Ana. */
function emailLink(aid: string, which: 'approve' | 'deny') {
  return tapin('link', aid, '--operator', ana, '--decide', which, '--ttl', '900');
}

test('the email link asks first, shows a hostile subject as text, and decides once', async ({ page, request }) => {
  const agent = new Agent(request, org.key);
  const hostile = 'refund #123 <img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
  const { aid } = await agent.approval({ subject_ref: hostile });
  const link = emailLink(aid, 'approve');

  // Opening it (what a mail scanner does) only asks.
  await page.goto(link);
  const question = page.getByTestId('question');
  await expect(question).toHaveText(`Approve tool call “${hostile}”?`);
  await expect(page.locator('main img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.getByText('For Ana.')).toBeVisible();
  await expect(page.locator('dl.vars')).toContainText('#4411');
  expect((await agent.get(`/approvals/${aid}`)).status).toBe('pending');
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/email-confirm-360.png', fullPage: true });

  await page.getByRole('button', { name: 'Confirm approval' }).tap();
  await expect(page).toHaveURL(new RegExp(`/m/${aid}/decide\\?done=approved$`));
  await expect(page.getByRole('heading', { name: 'Approved', level: 1 })).toBeVisible();
  const decided = await agent.get(`/approvals/${aid}`);
  expect(decided.status).toBe('approved');

  // The same link again: spent.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link was already used', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirm approval' })).toHaveCount(0);
});

test('a deny from the email works without JavaScript and needs a reason', async ({ browser, request }) => {
  const agent = new Agent(request, org.key);
  const { aid } = await agent.approval();
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(emailLink(aid, 'deny'));
  await expect(page.getByTestId('question')).toHaveText('Deny tool call “refund.create”?');
  const reason = page.getByLabel('Why do you deny it? The agent tells the customer.');
  await expect(reason).toHaveAttribute('required', '');
  await reason.fill('The order was already refunded.');
  await page.getByRole('button', { name: 'Confirm deny' }).tap();
  await expect(page).toHaveURL(new RegExp(`/m/${aid}/decide\\?done=denied$`));
  await expect(page.getByRole('heading', { name: 'Denied', level: 1 })).toBeVisible();
  const denied = await agent.get(`/approvals/${aid}`);
  expect([denied.status, denied.decision_note]).toEqual(['denied', 'The order was already refunded.']);
  await ctx.close();
});

test('webhooks: the admin page shows each signature scheme and changes it', async ({ page }) => {
  await org.signIn(page, '/admin/webhooks');
  const url = `https://receiver.example/${org.slug}`;
  await page.getByLabel('URL (http or https)').fill(url);
  await page.getByLabel('Signature', { exact: true }).selectOption('tapin-v1');
  await page.getByRole('button', { name: 'Add subscription' }).tap();
  await expect(page.getByTestId('new-secret')).toHaveText(/^whsec_/);
  const hook = page.locator(`section[data-url="${url}"]`);
  const scheme = hook.getByTestId('signature-scheme');
  await expect(scheme).toHaveAttribute('data-scheme', 'tapin-v1');
  await expect(scheme).toContainText('legacy tapin-signature');
  // The scheme's long option names do not push the page sideways on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await hook.getByLabel('Change the signature to').selectOption('standard');
  await hook.getByRole('button', { name: 'Save signature' }).tap();
  await expect(scheme).toHaveAttribute('data-scheme', 'standard');
  await expect(scheme).toHaveText('Signature: Standard Webhooks');
  await expectNoSeriousA11yViolations(page);
});
