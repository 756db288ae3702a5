import { defineConfig } from '@playwright/test';
import { e2e } from './tests/env';

// Debian's Chromium, never a Playwright browser download (no internet here).
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  // The whole suite takes ~1 minute; a hang fails it long before CI's limit.
  globalTimeout: 15 * 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: e2e.base,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
    trace: 'off',
  },
  projects: [
    {
      name: 'phone',
      testIgnore: /desktop.*\.spec\.ts/,
      use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    },
    {
      name: 'desktop',
      testMatch: /desktop.*\.spec\.ts/,
      use: { viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: {
    // The server built by `scripts/build-site.sh`, on a fresh throwaway database
    // (reset here: Playwright starts the web server before any global setup).
    command: `rm -rf '${e2e.dir}' && mkdir -p '${e2e.dir}' && exec '${e2e.binary}' serve`,
    url: `${e2e.base}/api/v1/healthz`,
    cwd: '..',
    env: e2e.serverEnv,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
