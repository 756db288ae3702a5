import { expect, test, type Browser, type Page } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';

// Out of approval fatigue (issue 14 §3) on a 1280 px desk: several approvals
// decided at once from the inbox (with and without script), and "approve
// similar" from an approved one.
test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });

const slug = `bulk-${Date.now().toString(36)}`;
const lee = `lee@${slug}.test`;
const password = 'a bulk password';
const hostile = '<img src=x onerror="window.__pwned=1">refund.create';
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  tapin('operator', 'create', '--org', slug, '--email', lee, '--name', 'Lee Park', '--role', 'admin,billing_manager', '--password', password);
});

async function signIn(page: Page, next = '/inbox') {
  await page.goto(`/login?next=${next}`);
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(lee);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === next);
}

/** Decides whatever the earlier tests left pending, so each test sees its own list. */
async function clearQueue(agent: Agent) {
  const pending = await agent.get('/approvals?status=pending&limit=200');
  for (const a of pending.data) {
    await agent.post(`/handoffs/${a.id}/cancel`);
  }
}

test('select all visible, approve: each decided on its own, the refusals named, a hostile subject stays text', async ({ page, request }) => {
  const agent = new Agent(request, key);
  await clearQueue(agent);
  const { aid: plain } = await agent.approval();
  const { aid: evil } = await agent.approval({ subject_ref: hostile });
  const { aid: mine } = await agent.approval({ subject_ref: 'invoice.void', requested_by: lee, four_eyes: true });
  const { aid: quorum } = await agent.approval({ subject_ref: 'payout.send', required_approvals: 2 });
  const { aid: question } = await agent.approval({
    subject_kind: 'question',
    subject_ref: 'Which plan should the customer get?',
    response_schema: { type: 'string', enum: ['basic', 'pro'] },
  });

  await signIn(page);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // The hostile subject is text in the list and in its checkbox's name.
  await expect(page.getByText(hostile).first()).toBeVisible();
  await expect(page.getByRole('checkbox', { name: `Select: Approve ${hostile}` })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);

  await page.getByTestId('select-all').click();
  await expect(page.getByTestId('selected')).toHaveText('5 selected');
  await expect(page.getByTestId('select-all')).toHaveText('Clear the selection');
  // One box off and on again: a checkbox is a checkbox.
  const box = page.getByRole('checkbox', { name: 'Select: Approve payout.send' });
  await box.uncheck();
  await expect(page.getByTestId('selected')).toHaveText('4 selected');
  await box.check();
  await page.getByLabel('Note for the agents (required to deny)').fill('Batch checked by Lee');
  await page.getByRole('button', { name: 'Approve selected' }).click();

  const result = page.getByTestId('bulk-result');
  await expect(result).toContainText('2 approved, 1 voted (quorum), 2 refused: four-eyes, needs a typed answer');
  await expect(result.locator('li[data-outcome="refused"]')).toHaveCount(2);
  await expect(result).toContainText(`Approve ${hostile}: approved`);
  await expect(result).toContainText('four-eyes, it is your own request');
  await expect(result).toContainText('your approval is recorded (1 of 2 approved)');
  // The list follows: what was decided leaves it, the rest stays with its boxes clear.
  await expect(page.locator(`li[data-id="${plain}"]`)).toHaveCount(0);
  await expect(page.locator(`li[data-id="${evil}"]`)).toHaveCount(0);
  await expect(page.locator(`li[data-id="${mine}"]`)).toBeVisible();
  await expect(page.getByTestId('selected')).toHaveText('0 selected');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  expect((await agent.get(`/approvals/${plain}`)).status).toBe('approved');
  expect((await agent.get(`/approvals/${evil}`)).decision_note).toBe('Batch checked by Lee');
  expect((await agent.get(`/approvals/${quorum}`)).status).toBe('pending');
  expect((await agent.get(`/approvals/${question}`)).status).toBe('pending');
  const events = await agent.get(`/handoffs/${plain}/events`);
  expect(events.filter((e: { event: string }) => e.event === 'decide')).toHaveLength(1);

  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/bulk-inbox-1280.png', fullPage: true });
});

async function noScript(browser: Browser) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  return { ctx, page: await ctx.newPage() };
}

test('without JavaScript: tick boxes, deny with a note, read the result', async ({ browser, request }) => {
  const agent = new Agent(request, key);
  await clearQueue(agent);
  const { aid: a } = await agent.approval({ subject_ref: hostile });
  const { aid: b } = await agent.approval({ subject_ref: 'refund.partial' });
  const { aid: c } = await agent.approval({ subject_ref: 'refund.full' });
  const { ctx, page } = await noScript(browser);
  await signIn(page);
  await page.getByRole('checkbox', { name: `Select: Approve ${hostile}` }).check();
  await page.getByRole('checkbox', { name: 'Select: Approve refund.partial' }).check();
  // A deny without a note comes back with why; nothing is decided.
  await page.getByRole('button', { name: 'Deny selected' }).click();
  await expect(page).toHaveURL(/bulk_error=note/);
  await expect(page.getByRole('alert')).toContainText('Say why you deny');
  expect((await agent.get(`/approvals/${a}`)).status).toBe('pending');

  await page.getByRole('checkbox', { name: `Select: Approve ${hostile}` }).check();
  await page.getByRole('checkbox', { name: 'Select: Approve refund.partial' }).check();
  await page.getByLabel('Note for the agents (required to deny)').fill('Not without the receipt');
  await page.getByRole('button', { name: 'Deny selected' }).click();
  await expect(page).toHaveURL(/\/inbox\?done=/);
  await expect(page.getByTestId('bulk-result')).toContainText('2 denied');
  await expect(page.getByTestId('bulk-result')).toContainText(`Approve ${hostile}: denied`);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect((await agent.get(`/approvals/${b}`)).decision_note).toBe('Not without the receipt');
  expect((await agent.get(`/approvals/${c}`)).status).toBe('pending');

  // "Select all visible" is a link that comes back with every box ticked.
  await page.getByTestId('select-all').click();
  await expect(page).toHaveURL(/select=all/);
  await expect(page.getByRole('checkbox', { name: 'Select: Approve refund.full' })).toBeChecked();
  await ctx.close();
});

test('approve similar: approve one, preview what the policy would match, create it, and the next one is approved by it', async ({ page, request }) => {
  const agent = new Agent(request, key);
  await clearQueue(agent);
  const { aid: earlier } = await agent.approval({ subject_ref: 'shipping.label' });
  const { aid: model } = await agent.approval({ subject_ref: 'shipping.label' });
  await signIn(page, `/m/${model}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Approved by you');
  await page.getByTestId('similar-link').click();

  await expect(page).toHaveURL(/similar=preview/);
  const section = page.getByTestId('similar');
  await expect(section.getByTestId('similar-words')).toContainText('Approve without a person every tool call approval of “shipping.label” requested by the key');
  await expect(section.getByTestId('similar-condition')).toContainText("subject_ref == 'shipping.label' and requester == 'api_key:");
  await expect(section.getByTestId('similar-count')).toContainText('It would have matched 2 of the last');
  await expect(section.getByTestId('similar-count')).toContainText('1 approved, 1 pending');
  await expect(section.getByTestId('similar-matches').getByRole('link')).toHaveCount(2);
  await expectNoSeriousA11yViolations(page);
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/approve-similar-1280.png', fullPage: true });

  await section.getByTestId('similar-create').click();
  await expect(page.getByTestId('similar-created')).toContainText('Created the policy “Approve similar: shipping.label”');
  const policies = await agent.get('/policies');
  expect(policies.data.at(-1).actions).toEqual({ auto_resolve: 'approve' });

  const { aid: next } = await agent.approval({ subject_ref: 'shipping.label' });
  const a = await agent.get(`/approvals/${next}`);
  expect(a.status).toBe('approved');
  expect(a.decided_by).toMatch(/^policy:/);
  expect((await agent.get(`/approvals/${earlier}`)).status).toBe('pending');
});
