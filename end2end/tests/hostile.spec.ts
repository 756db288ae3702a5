import { expect, test, type Browser, type Page } from '@playwright/test';
import { Agent } from './agent';
import { AdminOrg } from './admin-org';
import { tapin } from './cli';
import { openAs } from './link';

// Issue 11, finding 0, class-wide: every text an agent, a customer or a tenant
// controls holds hostile markup, and every page that shows it is opened with
// and without JavaScript, on a phone and on a desktop. Nothing may run, no
// element may be injected, and the text must read back exactly as typed.
// (The CSP would block an inline handler anyway; these checks look at the DOM,
// so they catch an injection the CSP happens to stop.)
const org = new AdminOrg('xss');
const H = '</title></textarea></script><img src=x onerror="alert(1)">{{7*7}} javascript:alert(1) \u202Eexe.txt';
// For fields bounded at 100 characters (policy names).
const S = '</title></script><img src=x onerror="alert(1)">\u202E';

let takeover = '';
let approval = '';
let gated = '';
let assist = '';
let quorum = '';
// A URL admits no spaces: the same markup without them, shown as text.
const U = 'https://login.example.test/v?x=</title></script><img/src=x/onerror=alert(1)>';
// A 1×1 PNG: the assist page shows the captured screen beside the agent's texts.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

test.beforeAll(async ({ request, browser }) => {
  org.create();
  tapin('operator', 'create', '--org', org.slug, '--email', `eve@${org.slug}.test`, '--name', `Eve ${H}`);
  const agent = new Agent(request, org.key);
  const cid = await agent.conversation([['user', `customer says ${H}`]]);
  takeover = (await agent.post('/handoffs', {
    kind: 'takeover',
    conversation_id: cid,
    source: 'router',
    packet: {
      static_text: `Refund ${H}`,
      reason: `reason ${H}`,
      summary: `summary ${H}`,
      context_vars: { order: `order ${H}` },
      transfer_label: `team ${H}`,
    },
  })).id;
  const acid = await agent.conversation([['user', `approve ${H}`]]);
  approval = (await agent.post('/approvals', {
    conversation_id: acid,
    subject_kind: 'tool_call',
    subject_ref: `refund ${H}`,
    payload: { note: `payload ${H}` },
    suspend_message: `wait ${H}`,
    timeout_seconds: 600,
  })).id;
  // A role the admin lacks: its name (agent text) is shown in the decision form's place.
  gated = (await agent.post('/approvals', {
    conversation_id: acid,
    subject_kind: 'tool_call',
    subject_ref: 'refund.gated',
    approver_role: `role ${S}`,
    timeout_seconds: 600,
  })).id;
  assist = (await agent.post('/handoffs', {
    kind: 'assist',
    agent_id: `agent ${S}`,
    interruption_type: 'twofa',
    domain: 'login.example.test',
    url: U,
    question: `Type ${H}`,
    input: 'code',
    capture: { screenshot: PNG, viewport: { width: 1, height: 1 } },
  })).id;
  // A quorum Eve (a tenant's name) has voted on: the page lists its voters.
  quorum = (await agent.post('/approvals', {
    conversation_id: acid,
    subject_kind: 'tool_call',
    subject_ref: 'refund.quorum',
    required_approvals: 2,
    timeout_seconds: 600,
  })).id;
  const eve = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const evePage = await eve.newPage();
  await openAs(evePage, quorum, `eve@${org.slug}.test`);
  await evePage.getByRole('button', { name: 'Approve' }).tap();
  await expect(evePage.getByTestId('voted')).toBeVisible();
  await eve.close();
  const put = await request.put('/api/v1/policies', {
    headers: { authorization: `Bearer ${org.key}` },
    data: { policies: [{ name: `policy ${S}`, condition: "kind == 'never'", actions: { priority: 'high' } }] },
  });
  expect(put.status(), await put.text()).toBeLessThan(300);
  // A webhook URL is normalised (its `<` and `"` percent-encoded), so it is
  // only checked for injection, not read back.
  await agent.post('/webhooks', {
    url: `http://127.0.0.1:9/hook?x=${encodeURIComponent(S)}&y=</title><img src=x onerror=alert(1)>`,
    events: ['handoff.created'],
  });
});

/** Fails the test on any dialog; returns the check run after each page. */
function watch(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return async (what: string) => {
    expect(dialogs, `${what}: a dialog opened`).toEqual([]);
    expect(await page.locator('img[src="x"]').count(), `${what}: an <img> was injected`).toBe(0);
  };
}

async function visit(browser: Browser, js: boolean, viewport: { width: number; height: number }) {
  const ctx = await browser.newContext({ javaScriptEnabled: js, viewport });
  const page = await ctx.newPage();
  const check = watch(page);
  // Password sign-in (the form posts without JavaScript too).
  await page.goto('/login?next=/inbox');
  await page.getByLabel('Organization').fill(org.slug);
  await page.getByLabel('Email').fill(org.admin);
  await page.getByLabel('Password').fill(org.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // (The login page's own URL ends in `next=/inbox`: compare the path.)
  await page.waitForURL((u) => u.pathname === '/inbox');

  const pages: [string, string[]][] = [
    [`/m/${takeover}`, [`Refund ${H}`, `reason ${H}`, `summary ${H}`, `order ${H}`, `→ team ${H}`, `customer says ${H}`]],
    [`/m/${approval}`, [`refund ${H}`, `payload ${H}`, `approve ${H}`, `wait ${H}`]],
    [`/m/${assist}`, [`Type ${H}`, U]],
    ['/inbox', [`Refund ${H}`]],
    ['/history', []],
    ['/admin', [`Eve ${H}`]],
    ['/admin/routing', [`policy ${S}`]],
    ['/admin/webhooks', []],
    ['/admin/metrics', []],
    ['/settings', []],
  ];
  for (const [path, texts] of pages) {
    await page.goto(path);
    if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    for (const t of texts) {
      await expect(page.getByText(t, { exact: true }).first(), `${path}: ${t.slice(0, 12)}…`).toBeAttached();
    }
    await check(`${path} (js ${js}, ${viewport.width}px)`);
  }
  expect(await page.title()).toBe('Settings · tapin');
  await page.goto(`/m/${takeover}`);
  expect(await page.title()).toBe(`Handoff: Refund ${H}`);
  // Why this operator cannot decide travels to the island in #handoff-data too.
  await page.goto(`/m/${gated}`);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('cannot-decide')).toContainText(`role ${S}`);
  await check(`/m/${gated} (js ${js}, ${viewport.width}px)`);
  // The voters' names travel to the quorum island in #handoff-data.
  await page.goto(`/m/${quorum}`);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('quorum')).toContainText(`1 of 2 approved: Eve ${H}`);
  await check(`/m/${quorum} (js ${js}, ${viewport.width}px)`);
  if (js) {
    // The decision form's islands start from the page's #handoff-data
    // attributes, not from props: the payload to edit reads back as sent.
    await page.goto(`/m/${approval}`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByLabel('Edit the payload before approving').check();
    const edit = page.locator('textarea#payload');
    await expect(edit).toBeVisible();
    expect(JSON.parse(await edit.inputValue()).note).toBe(`payload ${H}`);
    await check(`/m/${approval} payload edit (${viewport.width}px)`);
  }
  await ctx.close();
}

test('hostile markup stays text on every page, phone and desktop, with and without JavaScript', async ({ browser }) => {
  test.setTimeout(120_000);
  for (const js of [false, true]) {
    await visit(browser, js, { width: 360, height: 740 });
    await visit(browser, js, { width: 1280, height: 800 });
  }
});
