import { expect, test, type Page } from '@playwright/test';
import { Agent } from './agent';
import { tapin } from './cli';

// An assist handoff on a 360 px phone (issue 13): the captured screen is
// visible and fits, typing the code reaches the agent's /actions, and
// "Done — resume the agent" asks the agent to resume.
const slug = `assist-${Date.now().toString(36)}`;
const email = `sam@${slug}.test`;
const password = 'an assist password';
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  tapin('operator', 'create', '--org', slug, '--email', email, '--name', 'Sam', '--role', 'support', '--password', password);
});

async function signIn(page: Page) {
  await page.goto('/login?next=/inbox');
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');
}

test('the operator types the 2FA code on the captured screen and the agent resumes', async ({ page, request, browser }) => {
  // The agent's stuck page, captured as a real PNG by a second browser at a desktop size.
  const agentBrowser = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const stuck = await agentBrowser.newPage();
  await stuck.setContent('<h1>Verify it is you</h1><label>Code <input id="code"></label><button>Verify</button>');
  const screenshot = (await stuck.screenshot()).toString('base64');

  const agent = new Agent(request, key);
  const h = await agent.post('/handoffs', {
    kind: 'assist',
    agent_id: 'agent_outbound_sf',
    interruption_type: 'twofa',
    domain: 'login.example.com',
    url: 'https://login.example.com/verify',
    question: 'Type the code sent to the phone',
    input: 'code',
    capture: { screenshot, viewport: { width: 1280, height: 800 }, cookies: [{ name: 'sid', value: 'cookie-never-shown' }] },
  });
  expect(h.state).toBe('frozen');

  await signIn(page);
  // The phone pages load their own, smaller WASM module (scripts/build-site.sh):
  // every island of the page, the lazy assist screen included, hydrates from it,
  // and nothing of the desk's module is fetched.
  await page.goto(`/m/${h.id}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // This document's own fetches (the previous page's may still be finishing).
  const code = (await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
  )).filter((f) => f.startsWith('/pkg/') && (f.endsWith('.wasm') || f.endsWith('.js')));
  expect(code).toContain('/pkg/phone/tapin.wasm');
  expect(code.some((f) => f.startsWith('/pkg/phone/split_'))).toBe(true);
  expect(code.filter((f) => !f.startsWith('/pkg/phone/'))).toEqual([]);
  const frame = page.getByTestId('frame');
  await expect(frame).toBeVisible();
  // Fitted to the phone: nothing scrolls sideways, the picture is loaded.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await frame.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.locator('body')).not.toContainText('cookie-never-shown');

  const box = page.getByTestId('assist-text');
  await expect(box).toHaveAttribute('inputmode', 'numeric');
  await expect(box).toHaveAttribute('autocomplete', 'one-time-code');
  await page.screenshot({ path: 'test-results/phone-assist-360.png', fullPage: true });
  await box.fill('424242');
  await page.getByTestId('assist-enter').tap();
  await expect(page.getByTestId('lease')).toContainText('only you can send actions');

  const got = await agent.get(`/handoffs/${h.id}/actions?after=0&wait=5`);
  expect(got.actions).toEqual([
    { seq: 1, type: 'text', text: '424242' },
    { seq: 2, type: 'key', key: 'Enter' },
  ]);

  // The agent applies them and posts its new screen; the page shows it live.
  await stuck.setContent('<h1>Welcome back</h1>');
  const after = (await stuck.screenshot()).toString('base64');
  const posted = await agent.post(`/handoffs/${h.id}/frames`, { screenshot: after, viewport: { width: 1280, height: 800 } });
  await expect(frame).toHaveAttribute('src', new RegExp(`seq=${posted.frame_seq}$`));
  await expect.poll(() => frame.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/phone-assist-after-code-360.png', fullPage: true });

  await page.getByTestId('assist-done').tap();
  const done = await agent.get(`/handoffs/${h.id}/actions?after=2&wait=5`);
  expect(done.state).toBe('resume_requested');
  await agent.post(`/handoffs/${h.id}/resume`);
  const completed = await agent.post(`/handoffs/${h.id}/complete`, { task_outcome: 'success' });
  expect(completed.state).toBe('completed');
  await agentBrowser.close();
});
