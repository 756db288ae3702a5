// Opening a handoff as an operator does from a notification: a fresh signed
// link for `email`, the "Open handoff" button, then wait until the page is live.
import { expect, type Page } from '@playwright/test';
import { tapin } from './cli';

export async function openAs(page: Page, hid: string, email: string) {
  await page.goto(tapin('link', hid, '--operator', email));
  await page.getByRole('button', { name: 'Open handoff' }).tap();
  await expect(page).toHaveURL(new RegExp(`/m/${hid}$`));
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}
