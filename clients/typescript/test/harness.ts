// Test harness: a real tapin (the binary in TAPIN_BIN, else the repository's debug
// build) on a free port with a throwaway SQLite database, set up with the admin CLI
// as an operator would; and a small demo site (login → 2FA code → success).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// dist/test → clients/typescript → clients → repository root
const repo = path.resolve(here, '..', '..', '..', '..');

export function tapinBinary(): string {
  if (process.env.TAPIN_BIN) return path.resolve(process.env.TAPIN_BIN);
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
  return path.join(target, 'debug', 'tapin');
}

/** The site tapin serves (pkg/ JS+WASM, CSS): `TAPIN_SITE_ROOT`, else `target/site` next
 * to the binary's `target/<profile>/` (tapin starts here in clients/typescript, where its
 * default `target/site` is not; without it the pages would not hydrate). */
export function siteRoot(bin = tapinBinary()): string {
  if (process.env.TAPIN_SITE_ROOT) return path.resolve(process.env.TAPIN_SITE_ROOT);
  return path.resolve(path.dirname(bin), '..', 'site');
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Tapin {
  base: string;
  /** read, handoffs:write, approvals:write: what an agent gets. */
  agentKey: string;
  /** approvals:decide: another principal, as tapin requires for decisions. */
  deciderKey: string;
  /** admin: webhooks. */
  adminKey: string;
  org: string;
  operatorEmail: string;
  /** The operator's sign-in password (the assist test signs in by the handoff's link instead). */
  operatorPassword: string;
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export async function startTapin(): Promise<Tapin> {
  const bin = tapinBinary();
  if (!existsSync(bin)) {
    throw new Error(`no tapin binary at ${bin}: build it (cargo build --features ssr --bin tapin) or set TAPIN_BIN`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapin-ts-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    TAPIN_CONFIG: path.join(dir, 'none.toml'),
    TAPIN_DATABASE_URL: `sqlite://${path.join(dir, 'tapin.db')}`,
    TAPIN_MASTER_KEY_FILE: path.join(dir, 'master.key'),
    TAPIN_SITE_ROOT: siteRoot(bin),
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    TAPIN_PUBLIC_URL: base,
    TAPIN_LOG: 'warn',
    // The test's webhook receiver listens on loopback.
    TAPIN_ALLOW_PRIVATE_TARGETS: 'true',
    TAPIN_WEBHOOK_POLL_MS: '100',
  };
  const run = (args: string[], input?: string) =>
    execFileSync(bin, args, { env, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  const cli = (...args: string[]) => run(args);
  const org = 'clients';
  cli('org', 'create', org, '--name', 'Client tests');
  const agentKey = cli('api-key', 'create', '--org', org, '--scopes', 'read,handoffs:write,approvals:write', '--name', 'agent');
  const deciderKey = cli('api-key', 'create', '--org', org, '--scopes', 'read,approvals:decide', '--name', 'decider');
  const adminKey = cli('api-key', 'create', '--org', org, '--scopes', 'admin', '--name', 'admin');
  const operatorEmail = 'operator@clients.test';
  const operatorPassword = 'a long operator password';
  run(
    ['operator', 'create', '--org', org, '--email', operatorEmail, '--name', 'Olivia Operator', '--role', 'admin', '--password', '-'],
    `${operatorPassword}\n`,
  );

  const child: ChildProcess = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`tapin exited: ${stderr}`);
    try {
      const res = await fetch(`${base}/api/v1/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 600) throw new Error(`tapin did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    agentKey,
    deciderKey,
    adminKey,
    org,
    operatorEmail,
    operatorPassword,
    cli,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The demo site a browser agent signs in to: login → 2FA code → success. */
export interface DemoSite {
  base: string;
  /** The code the 2FA page shows (as a phone would receive it). */
  code: string;
  stop(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
  '<style>body{font:16px system-ui;margin:40px} input,button{font-size:18px;padding:6px}</style>' +
  `</head><body>${body}</body></html>`;

export async function startDemoSite(code = '428193'): Promise<DemoSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
    };
    const form = async () =>
      new URLSearchParams(
        await new Promise<string>((r) => {
          let b = '';
          req.on('data', (d) => (b += d));
          req.on('end', () => r(b));
        }),
      );
    if (url.pathname === '/login' && req.method === 'GET') {
      return send(
        200,
        page(
          'Sign in',
          '<h1>Sign in to Demo CRM</h1><form method="post" action="/login">' +
            '<p><label>Email <input name="email" type="email" id="email"></label></p>' +
            '<p><label>Password <input name="password" type="password" id="password"></label></p>' +
            '<p><button id="signin" type="submit">Sign in</button></p></form>',
        ),
      );
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      return void form().then(() => send(303, '', { location: '/2fa' }));
    }
    if (url.pathname === '/2fa' && req.method === 'GET') {
      const wrong = url.searchParams.has('wrong') ? '<p role="alert">That code is not right.</p>' : '';
      return send(
        200,
        page(
          'Verify it is you',
          `<h1>Verify it's you</h1>${wrong}<p id="sms">We sent a code to your phone. (Demo: the code is <b>${code}</b>.)</p>` +
            '<form method="post" action="/2fa"><p><label for="otp">Verification code</label> ' +
            '<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></p>' +
            '<p><button type="submit">Verify</button></p></form>',
        ),
      );
    }
    if (url.pathname === '/2fa' && req.method === 'POST') {
      return void form().then((f) => send(303, '', { location: f.get('otp') === code ? '/success' : '/2fa?wrong' }));
    }
    if (url.pathname === '/success') {
      return send(200, page('Welcome', '<h1 id="welcome">Welcome back, you are signed in.</h1>'));
    }
    send(404, page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    // A host name (not an IP) as a real site has; Chromium resolves localhost itself.
    base: `http://localhost:${port}`,
    code,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
