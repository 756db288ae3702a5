// The Playwright wrapper in Debian's Chromium against a local demo site
// (login → 2FA code page → success page) and a real tapin.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TapinClient, type AssistHandoff } from '../src/index.js';
import { approvalModal, hcaptcha, oneTimeCode, recaptcha, turnstile, wrapPage } from '../src/playwright.js';
import { chromiumArgs, chromiumPath, startDemoSite, startTapin, type DemoSite, type Tapin } from './harness.js';
import { solveOnPhone, type PhoneRun } from './phone.js';

describe('wrapPage', () => {
  let browser: Browser;
  let site: DemoSite;
  let tapin: Tapin;

  before(async () => {
    assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    site = await startDemoSite();
    tapin = await startTapin();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await tapin?.stop();
  });

  async function newPage(): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    return ctx.newPage();
  }

  it('detects the one-time-code input on the 2FA page, and nothing on the login page', async () => {
    const page = await newPage();
    await page.goto(`${site.base}/login`);
    assert.equal(await oneTimeCode.detect(page), null);
    await page.fill('#email', 'agent@example.com');
    await page.fill('#password', 'hunter2');
    await page.click('#signin');
    await page.waitForURL(/\/2fa$/);
    const found = await oneTimeCode.detect(page);
    assert.equal(found?.interruptionType, 'twofa');
    assert.equal(found?.input, 'code');
    assert.match(found!.question, /Verification code/);
    await page.context().close();
  });

  it('detects inputs named like codes, but not postal or promo codes', async () => {
    const page = await newPage();
    await page.setContent('<label>Promo code <input name="promo_code"></label><input name="zip" placeholder="ZIP code">');
    assert.equal(await oneTimeCode.detect(page), null);
    await page.setContent('<input name="otp">');
    assert.equal((await oneTimeCode.detect(page))?.detector, 'one-time-code');
    await page.setContent('<label>Enter your 2FA code <input id="x"></label>');
    assert.ok(await oneTimeCode.detect(page));
    await page.setContent('<input name="otp" style="display:none">');
    assert.equal(await oneTimeCode.detect(page), null, 'a hidden input is not a wall');
    await page.context().close();
  });

  it('detects reCAPTCHA, hCaptcha and Turnstile frames and a configured approval modal', async () => {
    const page = await newPage();
    // No internet here: the CAPTCHA hosts are answered locally.
    await page.route(/recaptcha|hcaptcha|challenges\.cloudflare\.com/, (r) =>
      r.fulfill({ contentType: 'text/html', body: '<p>challenge</p>' }),
    );
    const frame = (src: string) => `<iframe src="${src}" width="300" height="80"></iframe>`;
    await page.goto(`${site.base}/login`);
    const cases = [
      [recaptcha, 'https://www.google.com/recaptcha/api2/anchor?k=x'],
      [hcaptcha, 'https://newassets.hcaptcha.com/captcha/v1/abc/static/hcaptcha.html'],
      [turnstile, 'https://challenges.cloudflare.com/cdn-cgi/challenge-platform/turnstile/if/ov2/'],
    ] as const;
    for (const [detector, src] of cases) {
      await page.setContent(frame(src));
      await page.waitForLoadState('load');
      const found = await detector.detect(page);
      assert.equal(found?.interruptionType, 'captcha', detector.name);
      for (const [other] of cases) if (other !== detector) assert.equal(await other.detect(page), null, `${other.name} on ${detector.name}`);
    }
    const modal = approvalModal('#consent', 'Allow the export?');
    await page.setContent('<div id="consent" hidden>Allow?</div>');
    assert.equal(await modal.detect(page), null);
    await page.setContent('<div id="consent" role="dialog">Allow access to your contacts? <button>Allow</button></div>');
    assert.deepEqual(await modal.detect(page), {
      detector: 'approval-modal',
      interruptionType: 'approval_modal',
      input: 'none',
      question: 'Allow the export?',
    });
    await page.context().close();
  });

  it('a wrapped agent hits the 2FA page, an operator on a phone types the code, the agent reaches the success page', async (t) => {
    const doc = (await (await fetch(`${tapin.base}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    if (!doc.paths['/api/v1/handoffs/{id}/actions']) {
      t.skip('this tapin has no assist handoffs yet (no /api/v1/handoffs/{id}/actions)');
      return;
    }
    const agent = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.agentKey });
    const page = await newPage();
    let created: AssistHandoff | undefined;
    let phone: Promise<PhoneRun> | undefined;
    let phoneFailed!: (e: unknown) => void;
    const phoneFailure = new Promise<never>((_, reject) => (phoneFailed = reject));
    const wrapped = wrapPage(page, {
      client: agent,
      agentId: 'agent_outbound_demo',
      assignee: tapin.operatorEmail,
      timeoutSeconds: 600,
      waitTimeoutMs: 90_000,
      onHandoff: async (h) => {
        created = h;
        assert.ok(h.mobile_url, 'an assist created with an assignee carries their signed link');
        // Where the code box is on the agent's screen: the operator sees it on the frame.
        const box = (await page.locator('#otp').boundingBox())!;
        const target = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        phone = solveOnPhone(browser, h.mobile_url, target, page.viewportSize()!.width, site.code);
        phone.catch(phoneFailed);
      },
    });
    await wrapped.goto(`${site.base}/login`);
    assert.equal(wrapped.handoffs.length, 0, 'no wall on the login page');
    await wrapped.fill('#email', 'agent@example.com');
    await wrapped.fill('#password', 'hunter2');
    // → 2FA page → assist handoff → the operator on the phone → resumed. A failure on the
    // phone fails the test at once rather than leaving the agent waiting.
    await Promise.race([wrapped.click('#signin'), phoneFailure]);
    assert.equal(new URL(page.url()).pathname, '/success');
    assert.equal(await page.textContent('#welcome'), 'Welcome back, you are signed in.');
    const run = await phone!;

    assert.ok(created, 'an assist handoff was created');
    assert.equal(created.kind, 'assist');
    assert.equal(created.state, 'opened', 'given to the operator at once');
    assert.equal(created.assist?.interruption_type, 'twofa');
    assert.equal(created.assist?.input, 'code');
    assert.equal(created.assist?.domain, 'localhost');
    assert.match(created.assist!.url, /\/2fa$/);
    assert.deepEqual(created.assist?.viewport, { width: 1280, height: 800 });
    assert.match(created.mobile_url!, new RegExp(`^${tapin.base}/m/${created.id}\\?t=`));
    // The phone saw the capture, the frame after the tap and the frame after the code.
    assert.equal(run.srcs.length, 3);
    assert.match(run.finalLease, /The agent resumed/);
    const after = await agent.getHandoff<AssistHandoff>(created.id);
    assert.equal(after.state, 'resumed');
    assert.equal(after.assignee, created.assignee);
    assert.ok((after.assist?.frame_seq ?? 0) >= 4, `a frame per action: ${after.assist?.frame_seq}`);
    const done = await agent.completeHandoff(created.id, { taskOutcome: 'success' });
    assert.equal(done.state, 'completed');
    await page.context().close();
  });
});
