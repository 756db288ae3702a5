import { expect, test, type Browser, type Page } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';

// Operators act on the phone page: takeover chat both ways (also offline), approvals, races.
const slug = `ops-${Date.now().toString(36)}`;
const alice = `alice@${slug}.test`;
const bob = `bob@${slug}.test`;
const carol = `carol@${slug}.test`;
let key = '';
// The key that requested an approval does not decide it: another key does.
let decider = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  decider = tapin('api-key', 'create', '--org', slug, '--scopes', 'approvals:decide');
  tapin('operator', 'create', '--org', slug, '--email', alice, '--name', 'Alice', '--role', 'billing_manager');
  tapin('operator', 'create', '--org', slug, '--email', bob, '--name', 'Bob', '--role', 'billing_manager');
  tapin('operator', 'create', '--org', slug, '--email', carol, '--name', 'Carol');
});

/** Opens a fresh signed link for `email` in `page` and waits until the page is live. */
async function openAs(page: Page, hid: string, email: string) {
  await page.goto(tapin('link', hid, '--operator', email));
  await page.getByRole('button', { name: 'Open handoff' }).tap();
  await expect(page).toHaveURL(new RegExp(`/m/${hid}$`));
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function phone(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  return { ctx, page: await ctx.newPage() };
}

test('takeover: accept, chat both ways live, resolve closes the conversation', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { cid, hid } = await agent.takeover('Customer wants to change the delivery address.', [['user', 'Can I change my address?']]);
  await openAs(page, hid, alice);

  await expectNoSeriousA11yViolations(page);
  const reply = page.getByLabel('Message to the customer');
  await expect(reply).toBeDisabled();
  await page.getByRole('button', { name: 'Accept' }).tap();
  await expect(page.getByTestId('live-status')).toHaveText('accepted');
  await expect(reply).toBeEnabled();

  await reply.fill('Hi, Alice here. Which address should we use?');
  await page.getByRole('button', { name: 'Send' }).tap();
  await expect(page.locator('.msg.operator:not(.pending)')).toContainText('Which address should we use?');
  const msgs = await agent.get(`/conversations/${cid}/messages`);
  expect(msgs.data.map((m: { author: string }) => m.author)).toEqual(['user', 'operator']);

  // The customer answers through the agent's channel runtime; it appears without reload.
  await agent.post(`/conversations/${cid}/messages`, { author: 'user', content: '12 Rue des Lilas, Lyon' });
  await expect(page.locator('.msg.user').last()).toHaveText(/12 Rue des Lilas/);

  await page.getByRole('button', { name: 'Resolve' }).tap();
  await expect(page.getByTestId('finished')).toBeVisible();
  const conv = await agent.get(`/conversations/${cid}`);
  expect([conv.status, conv.termination_reason]).toEqual(['closed', 'handoff_resolved']);
});

test('a message typed offline is kept and sent once when the connection returns', async ({ page, context, request }) => {
  const agent = new Agent(request, key);
  const { cid, hid } = await agent.takeover('Customer is upset about a late parcel.');
  await openAs(page, hid, alice);
  await page.getByRole('button', { name: 'Accept' }).tap();
  await expect(page.getByLabel('Message to the customer')).toBeEnabled();

  await context.setOffline(true);
  await page.getByLabel('Message to the customer').fill('Sorry for the wait, I am on it.');
  await page.getByRole('button', { name: 'Send' }).tap();
  await expect(page.locator('.msg.pending')).toContainText('waiting for connection');
  expect((await agent.get(`/conversations/${cid}/messages`)).data).toHaveLength(0);

  await context.setOffline(false);
  await expect(page.locator('.msg.pending')).toHaveCount(0);
  await expect(page.locator('.msg.operator')).toContainText('Sorry for the wait');
  const sent = (await agent.get(`/conversations/${cid}/messages`)).data;
  expect(sent.map((m: { content: string }) => m.content)).toEqual(['Sorry for the wait, I am on it.']);
});

test('approval: deny needs a note, the outcome and the agent resuming show live', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval();
  await openAs(page, aid, alice);
  await expect(page.getByRole('heading', { name: 'refund.create', exact: true })).toBeVisible();
  await expect(page.locator('q', { hasText: 'Checking your refund with the billing team.' })).toBeVisible();
  await expect(page.getByTestId('countdown')).toHaveText(/left$/);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'Deny' }).tap();
  await expect(page.getByRole('alert')).toContainText('say why you deny');
  expect((await agent.get(`/approvals/${aid}`)).status).toBe('pending');

  await page.getByLabel('Note for the agent').fill('Over the refund limit for this customer.');
  await page.getByRole('button', { name: 'Deny' }).tap();
  await expect(page.getByTestId('outcome')).toContainText('Denied by you');
  const decided = await agent.get(`/approvals/${aid}`);
  expect([decided.status, decided.decision_note]).toEqual(['denied', 'Over the refund limit for this customer.']);

  await agent.post(`/handoffs/${aid}/resume`);
  await expect(page.getByTestId('outcome')).toContainText('The agent resumed');
});

test('two operators race to decide: one wins, the other sees who did', async ({ browser, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval();
  const a = await phone(browser);
  const b = await phone(browser);
  await openAs(a.page, aid, alice);
  await openAs(b.page, aid, bob);

  await a.page.getByRole('button', { name: 'Approve' }).tap();
  await expect(a.page.getByTestId('outcome')).toContainText('Approved by you');
  // Bob's page learns it live, without a reload.
  await expect(b.page.getByTestId('outcome')).toContainText('Approved by another operator');
  await expect(b.page.getByRole('button', { name: 'Deny' })).toHaveCount(0);
  expect((await agent.get(`/approvals/${aid}`)).status).toBe('approved');
  await a.ctx.close();
  await b.ctx.close();
});

test('an operator without the approver role sees why and cannot decide', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval();
  await openAs(page, aid, carol);
  await expect(page.getByTestId('cannot-decide')).toContainText('billing_manager');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
});

test('a third operator arriving after the decision is told it is already decided', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval();
  await new Agent(request, decider).post(`/approvals/${aid}/decide`, { decision: 'approve' });
  await page.goto(tapin('link', aid, '--operator', bob));
  await expect(page.getByRole('heading', { name: 'This handoff is already closed' })).toBeVisible();
});

test('an approval that times out while the page is open says so', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval({ timeout_seconds: 2 });
  await openAs(page, aid, alice);
  await expect(page.getByRole('button', { name: 'Approve' })).toBeVisible();
  // The server's timer worker expires it; the page learns it from the live stream.
  await expect(page.getByTestId('outcome')).toContainText('Expired', { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  expect((await agent.get(`/approvals/${aid}`)).status).toBe('expired');
});

test('with JavaScript disabled the operator can still open the link and read the packet', async ({ browser, request }) => {
  const agent = new Agent(request, key);
  const { hid } = await agent.takeover('Customer asks to cancel the subscription.', [['user', 'Please cancel my plan.']]);
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(tapin('link', hid, '--operator', alice));
  await page.getByRole('button', { name: 'Open handoff' }).click();
  await expect(page).toHaveURL(new RegExp(`/m/${hid}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer asks to cancel the subscription.');
  await expect(page.getByText('Please cancel my plan.')).toBeVisible();
  await ctx.close();
});
