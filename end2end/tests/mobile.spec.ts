import { expect, test, type APIRequestContext } from '@playwright/test';
import { tapin } from './cli';

// One organization per run; the operator taps links on a 360 px phone.
const slug = `e2e-${Date.now().toString(36)}`;
const email = `op@${slug}.test`;
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'read,handoffs:write');
  tapin('operator', 'create', '--org', slug, '--email', email, '--name', 'Robin');
});

/** What an agent does: a conversation, a few messages, then a takeover. */
async function agentHandsOff(request: APIRequestContext): Promise<string> {
  const headers = { authorization: `Bearer ${key}` };
  const conv = await request.post('/api/v1/conversations', { headers, data: {} });
  expect(conv.status()).toBe(201);
  const cid = (await conv.json()).id;
  for (const [author, content] of [
    ['user', 'My parcel never arrived.'],
    ['agent', 'I am sorry! Let me check order #4411.'],
  ]) {
    const m = await request.post(`/api/v1/conversations/${cid}/messages`, { headers, data: { author, content } });
    expect(m.status()).toBe(201);
  }
  const h = await request.post('/api/v1/handoffs', {
    headers,
    data: {
      kind: 'takeover',
      conversation_id: cid,
      source: 'router',
      packet: {
        static_text: 'Parcel lost in transit; customer wants a reshipment.',
        reason: 'Reshipments need a human decision.',
        context_vars: { order: '#4411', carrier: 'DHL' },
      },
    },
  });
  expect(h.status()).toBe(201);
  return (await h.json()).id;
}

test('operator opens a signed link, sees the packet, and the page is live', async ({ page, request }) => {
  const hid = await agentHandsOff(request);
  const link = tapin('link', hid, '--operator', email);

  await page.goto(link);
  // A confirmation first: link scanners that only GET must not burn the link.
  const open = page.getByRole('button', { name: 'Open handoff' });
  await expect(open).toBeVisible();
  const box = await open.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);

  await open.tap();
  await expect(page).toHaveURL(new RegExp(`/m/${hid}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Parcel lost in transit; customer wants a reshipment.');
  await expect(page.getByText('Reshipments need a human decision.', { exact: true })).toBeVisible();
  await expect(page.getByText('#4411', { exact: true })).toBeVisible();
  await expect(page.getByText('I am sorry! Let me check order #4411.')).toBeVisible();
  await expect(page.getByTestId('live-status')).toHaveText('assigned');

  // The raw packet opens without any script (a <details>), and the page's
  // islands hydrate around the packet without re-rendering it.
  await expect(page.locator('#raw-packet')).toBeHidden();
  await page.getByText('Raw packet', { exact: true }).tap();
  await expect(page.locator('#raw-packet')).toContainText('"static_text"');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // Nothing sticks out of a 360 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/mobile-handoff.png', fullPage: true });

  // The agent sees that a person has it.
  const got = await request.get(`/api/v1/handoffs/${hid}`, { headers: { 'x-api-key': key } });
  expect((await got.json()).state).toBe('opened');
});

test('a reused link shows the "already used" page', async ({ page, request, browser }) => {
  const hid = await agentHandsOff(request);
  const link = tapin('link', hid, '--operator', email);
  await page.goto(link);
  await page.getByRole('button', { name: 'Open handoff' }).tap();
  await expect(page).toHaveURL(new RegExp(`/m/${hid}$`));

  // Someone else (a fresh browser, no session) taps the same link.
  const other = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const second = await other.newPage();
  await second.goto(link);
  await expect(second.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
  await expect(second.getByText('Parcel lost in transit')).toHaveCount(0);
  await other.close();
});
