// A fresh organization with an admin operator and an admin API key, made with
// the CLI, and the admin's password sign-in: what the desktop admin specs share.
import { expect, type Page } from '@playwright/test';
import { tapin } from './cli';

export class AdminOrg {
  readonly slug: string;
  readonly admin: string;
  readonly password = 'an admin password';
  key = '';

  constructor(prefix: string) {
    this.slug = `${prefix}-${Date.now().toString(36)}`;
    this.admin = `root@${this.slug}.test`;
  }

  // Call from `test.beforeAll`.
  create() {
    tapin('org', 'create', this.slug);
    this.key = tapin('api-key', 'create', '--org', this.slug, '--scopes', 'admin');
    tapin('operator', 'create', '--org', this.slug, '--email', this.admin, '--name', 'Root', '--role', 'admin', '--password', this.password);
  }

  // Signs the admin in and waits until `next` has hydrated.
  async signIn(page: Page, next: string) {
    await page.goto(`/login?next=${next}`);
    await page.getByLabel('Organization').fill(this.slug);
    await page.getByLabel('Email').fill(this.admin);
    await page.getByLabel('Password').fill(this.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The login page's own URL ends in `next=…` too: compare the path.
    await page.waitForURL((u) => u.pathname === next);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
}
