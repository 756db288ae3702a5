import { createECDH, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';
import { e2e } from './env';

// Web Push from the phone: the operator turns notifications on in /settings,
// and the service worker turns a push message into a notification that opens
// the signed link. (Delivery and encryption are tested against a local push
// service in the Rust suite; here the browser side is.)
const slug = `push-${Date.now().toString(36)}`;
const email = `pat@${slug}.test`;
const password = 'correct horse battery staple';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  tapin('operator', 'create', '--org', slug, '--email', email, '--name', 'Pat', '--password', password);
});

test('settings turn notifications on, and a push becomes a notification with the link', async ({ page, context }) => {
  await context.grantPermissions(['notifications'], { origin: e2e.base });
  await page.goto('/login?next=/settings');
  await page.getByLabel('Organization').fill(slug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  await expect(page.getByTestId('no-devices')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/phone-settings.png', fullPage: true });

  // Subscribing needs the browser's push service. With it, the device is
  // listed; without one (this machine has no internet), the page must say
  // why instead of failing silently.
  await page.getByRole('button', { name: 'Turn on for this device' }).click();
  const status = page.getByRole('status').filter({ hasNotText: /^$/ });
  await expect(status).not.toHaveText(/Working/, { timeout: 20_000 });
  const text = (await status.textContent()) ?? '';
  if (text.includes('Notifications are on')) {
    await expect(page.getByTestId('devices').locator('li')).toHaveCount(1);
  } else {
    // Headless Chromium refuses push registration ("permission denied") and this
    // machine reaches no push service: the page must say so plainly.
    expect(text).toMatch(/^The browser could not subscribe this device \(.+\)/);
    test.info().annotations.push({ type: 'push-subscribe', description: text });
    // What the page does after a successful subscribe, with a subscription of
    // the same shape: stored for the signed-in operator and listed.
    const ecdh = createECDH('prime256v1');
    const sub = {
      endpoint: 'https://push.example.test/e2e-device',
      expirationTime: null,
      keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    const stored = await page.evaluate(async (body) => {
      const res = await fetch('/settings/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return res.status;
    }, sub);
    expect(stored).toBe(204);
    await page.reload();
    await expect(page.getByTestId('devices').locator('li')).toHaveText(/^push\.example\.test · since \d{4}-\d{2}-\d{2}$/);
  }

  // A push message reaches the service worker (delivered through DevTools,
  // as a push service would) and is shown with the handoff link.
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const r = registrations.find((x: { scopeURL: string; isDeleted: boolean }) => x.scopeURL === `${e2e.base}/` && !x.isDeleted);
      if (r) resolve(r.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const payload = { title: 'A customer needs a person', body: 'Refund for order 1042', url: `${e2e.base}/m/abc?t=xyz`, tag: 'h-1' };
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: e2e.base,
    registrationId: await registrationId,
    data: JSON.stringify(payload),
  });
  await expect
    .poll(() =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => [n.title, n.body, n.data.url, n.tag]),
      ),
    )
    .toEqual([[payload.title, payload.body, payload.url, payload.tag]]);
});
