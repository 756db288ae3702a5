import { expect, test } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { AdminOrg } from './admin-org';
import { tapin } from './cli';

// An admin adds a routing policy, tries it in the test box, and sees an approval
// resolved by it; an operator chooses how to be reached per urgency.
const org = new AdminOrg('rt');

test.beforeAll(() => org.create());

test('routing: a policy is added, tested and auto-approves a safe call; the timeline shows it', async ({ page, request }) => {
  await org.signIn(page, '/admin/routing');
  await expect(page.getByRole('heading', { name: 'Routing', level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // A broken condition is refused with its position; nothing is added.
  await page.getByLabel('Name', { exact: true }).fill('Safe lookups');
  await page.getByLabel('Condition').fill("subject_ref == ");
  await page.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByRole('alert')).toContainText('condition: at position');
  await expect(page.getByTestId('policies').locator('tbody')).toContainText('No policy yet');

  await page.getByLabel('Condition').fill("kind == 'approval' and subject_ref == 'orders.lookup'");
  await page.getByLabel('Resolve without a person').selectOption('approve');
  await page.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByTestId('policies')).toContainText('approve without a person');

  // The test box says what would happen, without creating anything.
  await page.getByLabel('Kind').selectOption('approval');
  await page.getByLabel('Subject ref (approvals)').fill('orders.lookup');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('test-result')).toContainText('Matches “Safe lookups”');
  await expect(page.getByTestId('test-result')).toContainText('Resolved without a person: approve');
  await page.getByLabel('Subject ref (approvals)').fill('refund.create');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('test-result')).toContainText('No policy matches');
  await page.screenshot({ path: 'test-results/desktop-routing.png', fullPage: true });

  // The agent's lookup is approved by the policy; its timeline says so.
  const agent = new Agent(request, org.key);
  const { aid } = await agent.approval({ subject_ref: 'orders.lookup' });
  const detail = await agent.get(`/approvals/${aid}`);
  expect(detail.status).toBe('approved');
  await page.goto(`/m/${aid}`);
  await page.getByText(/^Timeline/).click();
  await expect(page.getByTestId('timeline')).toContainText('policy “Safe lookups”');
  await expect(page.getByTestId('timeline')).toContainText('decide → solved');
});

test('routing: a rotation with an override and an escalation chain are made, edited and deleted on the page', async ({ page }) => {
  tapin('operator', 'create', '--org', org.slug, '--email', `pat@${org.slug}.test`, '--name', 'Pat Person', '--role', 'support');
  await org.signIn(page, '/admin/routing');

  // The organization's time zone: an unknown one is refused by name.
  const zone = page.getByLabel('Organization time zone (IANA name)');
  await zone.fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByRole('alert')).toContainText('time_zone');
  await zone.fill('Europe/Berlin');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByText('Now: Europe/Berlin')).toBeVisible();

  // A rotation: Root then Pat, handing over Mondays 09:00 Berlin time; Pat covers one afternoon.
  const rotations = page.getByTestId('rotations');
  const newRotation = page.locator('details', { has: page.locator('summary', { hasText: 'New rotation' }) });
  await expect(newRotation).toHaveAttribute('open', '');
  await newRotation.getByLabel('Rotation name').fill('Primary');
  await newRotation.getByLabel('1st on call').selectOption({ label: 'Root' });
  await newRotation.getByLabel('2nd on call').selectOption({ label: 'Pat Person' });
  await newRotation.getByLabel('First handover (Europe/Berlin)').fill('2026-11-02T09:00');
  await newRotation.getByLabel('Override 1: who').selectOption({ label: 'Pat Person' });
  await newRotation.getByLabel('Override 1: from').fill('2026-11-03T13:00');
  await newRotation.getByLabel('Override 1: until').fill('2026-11-03T12:00');
  await newRotation.getByRole('button', { name: 'Create rotation' }).click();
  await expect(newRotation.getByRole('alert')).toContainText('overrides[0].ends_at');
  await newRotation.getByLabel('Override 1: until').fill('2026-11-03T18:00');
  await newRotation.getByRole('button', { name: 'Create rotation' }).click();
  await expect(page.getByText('Rotation saved.')).toBeVisible();
  await expect(rotations).toContainText('Root, Pat Person');
  await expect(rotations).toContainText('weekly, Mondays 09:00 CET');
  await expect(rotations).toContainText('Pat Person: 2026-11-03 13:00 CET → 2026-11-03 18:00 CET');

  // A chain built by keyboard and clicks: on call first, then Pat.
  const chains = page.getByTestId('chains');
  const newChain = page.locator('details', { has: page.locator('summary', { hasText: 'New escalation chain' }) });
  await newChain.getByLabel('Chain name').fill('Ladder');
  const step1 = newChain.getByRole('group', { name: 'Step 1', exact: true });
  const step2 = newChain.getByRole('group', { name: 'Step 2', exact: true });
  await step1.getByLabel('on call of Primary').focus();
  await page.keyboard.press('Space');
  await expect(step1.getByLabel('on call of Primary')).toBeChecked();
  await step1.getByLabel('Wait before the next step (minutes)').fill('5');
  await step2.getByLabel('Pat Person', { exact: true }).check();
  await newChain.getByRole('button', { name: 'Create chain' }).click();
  await expect(newChain.getByRole('alert')).toContainText('steps[1].wait_minutes');
  await step2.getByLabel('Wait before the next step (minutes)').fill('10');
  await newChain.getByRole('button', { name: 'Create chain' }).click();
  await expect(page.getByText('Chain saved.')).toBeVisible();
  await expect(chains).toContainText('on call of Primary · wait 5 min');
  await expect(chains).toContainText('Pat Person · wait 10 min');
  // The form for a new chain starts empty again.
  await newChain.locator('summary').click();
  await expect(newChain.getByLabel('Chain name')).toHaveValue('');
  await expect(newChain.getByRole('group', { name: 'Step 2', exact: true }).getByLabel('Pat Person', { exact: true })).not.toBeChecked();
  await newChain.locator('summary').click();
  // People by name, their ids on hover.
  await expect(chains.locator('ol.steps span', { hasText: 'Pat Person' })).toHaveAttribute('title', /^[0-9a-f-]{36}$/);

  // Edited in place.
  await chains.getByText('Edit Ladder').click();
  const edit = page.locator('details', { has: page.locator('summary', { hasText: 'Edit Ladder' }) });
  await edit.getByLabel('Chain name').fill('Night ladder');
  await edit.getByRole('button', { name: 'Save chain' }).click();
  await expect(chains).toContainText('Night ladder');
  await expectNoSeriousA11yViolations(page);

  // A phone shows the page without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/routing-chains-phone.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The rotation a chain uses cannot go first; then both can.
  await rotations.getByRole('button', { name: 'Delete Primary' }).click();
  await expect(page.getByRole('alert')).toContainText('uses this rotation');
  await chains.getByRole('button', { name: 'Delete Night ladder' }).click();
  await expect(chains).toContainText('No chain yet');
  await rotations.getByRole('button', { name: 'Delete Primary' }).click();
  await expect(rotations).toContainText('No rotation yet.');
});

test('settings: channels per urgency need a phone for SMS, and stay chosen', async ({ page }) => {
  await org.signIn(page, '/settings');
  await expect(page.getByRole('heading', { name: 'How to reach me' })).toBeVisible();
  await page.getByLabel('SMS when urgent').check();
  await page.getByRole('button', { name: 'Save how to reach me' }).click();
  await expect(page.getByRole('alert')).toContainText('phone');
  await page.getByLabel(/Phone for SMS and calls/).fill('+49 151 1234 5678');
  await page.getByRole('button', { name: 'Save how to reach me' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('SMS when urgent')).toBeChecked();
  await expect(page.getByLabel(/Phone for SMS and calls/)).toHaveValue('+4915112345678');
  await expectNoSeriousA11yViolations(page);
});
