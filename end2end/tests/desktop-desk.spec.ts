import { expect, test, type Page } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';

// The desk an operator works in all day on a 1280 px screen (issue 15): one
// header everywhere, waiting times against the response target, search and
// history of finished work, and the keyboard path through the queue.
const slug = `desk2-${Date.now().toString(36)}`;
const email = `lee@${slug}.test`;
const password = 'a desk password';
let key = '';
let decider = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  decider = tapin('api-key', 'create', '--org', slug, '--scopes', 'approvals:decide');
  tapin('operator', 'create', '--org', slug, '--email', email, '--name', 'Lee Park', '--role', 'admin,billing_manager', '--password', password);
});

async function signIn(page: Page, next = '/inbox') {
  await page.goto(`/login?next=${next}`);
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === next);
}

// The desk header (inside <main> on island pages, so not a banner landmark).
const header = (page: Page) => page.locator('header.desk');

test('every page reaches every other from one header', async ({ page, request }) => {
  const { hid } = await new Agent(request, key).takeover('Navigation check');
  await signIn(page);
  // [link in the header or admin sub-navigation, where it lands, its heading]
  const stops: [string, string, string][] = [
    ['History', '/history', 'History'],
    ['Settings', '/settings', 'Notifications'],
    ['Administration', '/admin', 'Administration'],
    ['Routing', '/admin/routing', 'Routing'],
    ['Webhooks', '/admin/webhooks', 'Webhooks'],
    ['Time to human', '/admin/metrics', 'Time to human'],
    ['Inbox', '/inbox', 'Inbox'],
  ];
  for (const [link, path, heading] of stops) {
    await page.getByRole('link', { name: link, exact: true }).first().click();
    await page.waitForURL((u) => u.pathname === path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toContainText(heading);
    await expect(header(page)).toContainText('Lee Park');
    await expect(header(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page).toHaveTitle(/· tapin$/);
    // The current page is marked; every other page is one click away.
    for (const other of ['Inbox', 'History', 'Settings', 'Administration']) {
      await expect(header(page).getByRole('link', { name: other, exact: true })).toBeVisible();
    }
  }
  // A handoff's page has the same header.
  await page.goto(`/m/${hid}`);
  await expect(header(page).getByRole('link', { name: 'History', exact: true })).toBeVisible();
  await header(page).getByRole('link', { name: 'Inbox', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');
});

test('waiting times tick and turn amber then red past the response target', async ({ page, request }) => {
  await page.clock.install();
  await signIn(page, '/admin');
  // "Saved." is the island's answer; before the WASM arrives the form posts plainly.
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Pick up open handoffs within (minutes)').fill('1');
  await page.getByRole('button', { name: 'Save target' }).click();
  await expect(page.getByText('Saved.').first()).toBeVisible();

  const { hid } = await new Agent(request, key).takeover('Waiting for someone');
  await page.goto('/inbox');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const wait = page.locator(`li[data-id="${hid}"] [data-testid="waited"]`);
  await expect(wait).toHaveAttribute('data-urgency', 'ok');
  const first = await wait.textContent();
  await page.clock.fastForward(35_000);
  await expect(wait).toHaveAttribute('data-urgency', 'soon');
  await expect(wait).not.toHaveText(first ?? '');
  await page.clock.fastForward(30_000);
  await expect(wait).toHaveAttribute('data-urgency', 'late');
  await expect(wait).toContainText('min');

  // Longest waiting first, on request.
  await page.getByLabel('Sort').selectOption('waiting');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/sort=waiting/);
});

test('search finds a finished handoff by a word of its packet; it opens read-only', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { hid } = await agent.takeover('Kettle arrived with a cracked lid (case xq-kettle)');
  await agent.post(`/handoffs/${hid}/resolve`);
  await signIn(page, '/history');
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search', { exact: true })).toBeFocused();
  await page.keyboard.type('cracked lid');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=cracked\+lid/);
  const row = page.locator(`li[data-id="${hid}"]`);
  await expect(row).toContainText('resolved');
  await expect(row).toContainText('key “');
  await expectNoSeriousA11yViolations(page);
  await row.getByRole('link').click();
  await page.waitForURL((u) => u.pathname === `/m/${hid}`);
  await expect(page.getByText(/^Timeline \(\d+\)$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
});

test('the keyboard alone moves, opens, approves and denies', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const one = await agent.approval({ subject_ref: 'refund.one' });
  const two = await agent.approval({ subject_ref: 'refund.two' });
  await signIn(page);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Newest first: j focuses "two", j then k come back to it, Enter opens it.
  await page.keyboard.press('j');
  await expect(page.locator(`li[data-id="${two.aid}"] a`)).toBeFocused();
  await page.keyboard.press('j');
  await expect(page.locator(`li[data-id="${one.aid}"] a`)).toBeFocused();
  await page.keyboard.press('k');
  await expect(page.locator(`li[data-id="${two.aid}"] a`)).toBeFocused();
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === `/m/${two.aid}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // Typing in a field never fires a shortcut: "a" in the note is just a letter.
  await page.keyboard.press('a');
  await expect(page.locator('#note')).toBeFocused();
  await page.keyboard.type('all good');
  await expect(page.locator('#note')).toHaveValue('all good');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome')).toContainText('Approved by you');

  await page.goto(`/m/${one.aid}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.keyboard.press('d');
  await expect(page.locator('#note')).toBeFocused();
  await page.keyboard.type('wrong amount');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('outcome')).toContainText('Denied by you');
});

test('a busy inbox and the history, for the docs', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const texts = [
    'Customer double-charged for order #4411', 'Wants to cancel the annual plan', 'Address change after dispatch',
    'Angry about a late delivery', 'Asks for a human, twice', 'Warranty claim for a broken hinge',
  ];
  for (const t of texts) await agent.takeover(t, [['user', t]]);
  for (const ref of ['refund.create', 'plan.downgrade', 'credit.issue', 'order.cancel']) {
    await agent.approval({ subject_ref: ref });
  }
  for (const [from, to] of [['triage', 'billing'], ['sales-bot', 'retention']]) {
    await agent.post('/agents/handoff', { from_agent: from, to_agent: to, conversation_context: {}, handoff_reason: `${from} needs ${to}` });
  }
  // Some finished work for the history.
  const done = await agent.takeover('Password reset for a locked account');
  await agent.post(`/handoffs/${done.hid}/resolve`);
  const decided = await agent.approval({ subject_ref: 'refund.partial' });
  await new Agent(request, decider).post(`/approvals/${decided.aid}/decide`, { decision: 'deny', note: 'Over the limit' });

  await signIn(page);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('ul.queue > li').first()).toBeVisible();
  expect(await page.locator('ul.queue > li').count()).toBeGreaterThanOrEqual(12);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/desktop-inbox-1280.png', fullPage: true });
  await page.goto('/history');
  await expect(page.getByTestId('history')).toContainText('denied');
  await page.screenshot({ path: 'test-results/desktop-history-1280.png', fullPage: true });
});

test('a canned reply is added on /admin, inserted with / and sent', async ({ page, request }) => {
  await signIn(page, '/admin');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Shortcut (after /)').fill('refund-policy');
  await page.getByLabel('Reply', { exact: true }).fill('Refunds reach your card within 5 working days.');
  await page.getByRole('button', { name: 'Add canned reply' }).click();
  await expect(page.getByTestId('snippets')).toContainText('/refund-policy');

  const { hid } = await new Agent(request, key).takeover('Where is my refund?', [['user', 'Where is my refund?']]);
  await page.goto(`/m/${hid}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Accept' }).click();
  const box = page.getByLabel('Message to the customer');
  await expect(box).toBeEnabled();
  await box.pressSequentially('/ref');
  await expect(page.getByRole('option', { name: /refund-policy/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await box.press('Enter');
  await expect(box).toHaveValue('Refunds reach your card within 5 working days.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('li.msg.operator:not(.pending)').last()).toContainText('within 5 working days');
});
