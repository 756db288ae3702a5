// The operator's side of an assist handoff, as a person does it: a second browser at
// 360 px opens the signed link the handoff came with, looks at the agent's frame, taps
// the code box on it, types the code and Enter, watches the agent's new frame arrive,
// then taps "Done — resume the agent".
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';

export interface PhoneRun {
  /** The frames' `src` as the phone showed them: the capture, after the tap, after the code. */
  srcs: string[];
  /** What the lease line said once the agent had resumed. */
  finalLease: string;
}

/** The frame's `src` once it differs from `previous` and the picture has loaded. */
async function nextFrame(page: Page, frame: Locator, previous: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="frame"]');
      return !!img && img.getAttribute('src') !== prev && img.complete && img.naturalWidth > 0;
    },
    previous,
    { timeout: 30_000 },
  );
  return (await frame.getAttribute('src'))!;
}

const seqOf = (src: string) => Number(new URL(src, 'http://x').searchParams.get('seq'));

/**
 * `link`: the handoff's `mobile_url`. `target`: where to click on the agent's page (its
 * own coordinates; the phone scales them to the frame as shown). `agentViewportWidth`:
 * the width the frame was captured at.
 */
export async function solveOnPhone(
  browser: Browser,
  link: string,
  target: { x: number; y: number },
  agentViewportWidth: number,
  code: string,
): Promise<PhoneRun> {
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  try {
    const page = await ctx.newPage();
    const id = new URL(link).pathname.split('/').pop()!;
    // The link shows a confirmation first (link previews do not consume it); opening it
    // signs the operator in for this handoff and lands on the handoff page.
    await page.goto(link);
    await page.getByRole('button', { name: 'Open handoff' }).tap();
    await page.waitForURL((u) => u.pathname === `/m/${id}` && !u.searchParams.has('problem'));
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 30_000 });

    // The agent's screen, fitted to the phone.
    const frame = page.getByTestId('frame');
    await frame.waitFor();
    const srcs = [await nextFrame(page, frame, null)];
    assert.ok(
      (await page.evaluate(() => document.documentElement.scrollWidth)) <= 360,
      'the page fits 360 px: nothing scrolls sideways',
    );
    const shownWidth = await frame.evaluate((img: HTMLImageElement) => img.clientWidth);
    assert.ok(shownWidth > 0 && shownWidth <= 360, `the frame is fitted to the phone (${shownWidth} px)`);

    // A tap on the picture is a click at the page's own coordinates (scaled back up).
    const scale = shownWidth / agentViewportWidth;
    await frame.tap({ position: { x: target.x * scale, y: target.y * scale } });
    srcs.push(await nextFrame(page, frame, srcs[0]));

    // The code box and Enter: typed text then the key, in one action from the page.
    const box = page.getByTestId('assist-text');
    assert.equal(await box.getAttribute('inputmode'), 'numeric');
    assert.equal(await box.getAttribute('autocomplete'), 'one-time-code');
    await box.fill(code);
    await page.getByTestId('assist-enter').tap();
    // The agent answers each action with a frame: after the text, then after Enter (the
    // page behind the code). Wait for the second.
    const afterTap = seqOf(srcs[1]);
    let src = srcs[1];
    while (seqOf(src) < afterTap + 2) src = await nextFrame(page, frame, src);
    srcs.push(src);
    const lease = page.getByTestId('lease');
    assert.match((await lease.textContent()) ?? '', /only you can send actions/);

    await page.getByTestId('assist-done').tap();
    // The phone follows the handoff live: once the agent confirmed, the page says so.
    await page.getByTestId('lease').filter({ hasText: 'The agent resumed' }).waitFor({ timeout: 60_000 });
    return { srcs, finalLease: (await lease.textContent()) ?? '' };
  } finally {
    await ctx.close();
  }
}
