// Accessibility check with axe-core, run inside the page (no network needed).
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function expectNoSeriousA11yViolations(page: Page) {
  // Evaluated through the DevTools protocol: the pages' Content-Security-Policy
  // (no inline scripts without the request's nonce) rightly refuses a script tag.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error injected above
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      }));
  });
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}
