import { expect, test } from '@playwright/test';
import { Agent } from './agent';
import { expectNoSeriousA11yViolations } from './axe';
import { tapin } from './cli';
import { openAs } from './link';

// Typed answers on the phone page (issue 14 §3): an approval whose
// `response_schema` asks for a choice or a number gets a form for it, and the
// server checks the answer against the schema before it counts.
const slug = `typed-${Date.now().toString(36)}`;
const dana = `dana@${slug}.test`;
let key = '';

test.beforeAll(() => {
  tapin('org', 'create', slug);
  key = tapin('api-key', 'create', '--org', slug, '--scopes', 'admin');
  tapin('operator', 'create', '--org', slug, '--email', dana, '--name', 'Dana', '--role', 'billing_manager');
});

test('a choice is answered from a list and reaches the agent', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval({
    subject_kind: 'question',
    subject_ref: 'Which plan should the customer move to?',
    response_schema: { type: 'string', enum: ['basic', 'pro', 'enterprise'], description: 'The plan the refund is credited to.' },
  });
  await openAs(page, aid, dana);
  const answer = page.getByLabel('Your answer');
  await expect(answer).toBeVisible();
  await expect(page.getByText('The plan the refund is credited to.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send answer' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Decline' })).toBeVisible();
  await answer.selectOption('pro');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/typed-answer-phone-360.png', fullPage: true });
  await page.getByRole('button', { name: 'Send answer' }).tap();
  await expect(page.getByTestId('outcome')).toContainText('Approved by you');
  const decided = await agent.get(`/approvals/${aid}`);
  expect([decided.status, decided.answer]).toEqual(['approved', 'pro']);
});

test('hostile choices and description from the agent are shown as text', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const evil = '<img src=x onerror="window.__pwned=1">';
  const { aid } = await agent.approval({
    subject_kind: 'question',
    subject_ref: 'Which one?',
    response_schema: { type: 'string', enum: ['safe', evil], description: `<b>bold</b> ${evil}` },
  });
  await openAs(page, aid, dana);
  await expect(page.getByLabel('Your answer').locator('option', { hasText: 'onerror' })).toHaveText(evil);
  await expect(page.getByText(`<b>bold</b> ${evil}`)).toBeVisible();
  expect(await page.locator('img[src="x"], b:text("bold")').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a number outside the schema is refused with the reason, and a good one counts', async ({ page, request }) => {
  const agent = new Agent(request, key);
  const { aid } = await agent.approval({
    subject_kind: 'question',
    subject_ref: 'How many seats does the customer need?',
    response_schema: { type: 'integer', minimum: 1, maximum: 10 },
  });
  await openAs(page, aid, dana);
  const answer = page.getByLabel('Your answer');
  await expect(answer).toHaveAttribute('inputmode', 'numeric');
  await answer.fill('42');
  await page.getByRole('button', { name: 'Send answer' }).tap();
  await expect(page.getByRole('alert')).toContainText('10');
  expect((await agent.get(`/approvals/${aid}`)).status).toBe('pending');
  await answer.fill('3');
  await page.getByRole('button', { name: 'Send answer' }).tap();
  await expect(page.getByTestId('outcome')).toContainText('Approved by you');
  const decided = await agent.get(`/approvals/${aid}`);
  expect([decided.status, decided.answer]).toEqual(['approved', 3]);
});
