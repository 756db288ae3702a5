// Shared settings of the end-to-end run: one throwaway database, one port.
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const port = Number(process.env.E2E_PORT ?? 3737);
const dir = path.join(root, 'target', 'e2e');

export const e2e = {
  root,
  dir,
  port,
  base: `http://127.0.0.1:${port}`,
  // The release build made by scripts/test.sh; E2E_BINARY overrides it (e.g. target/debug/tapin).
  binary: process.env.E2E_BINARY ?? path.join(root, 'target', 'release', 'tapin'),
  serverEnv: {
    TAPIN_CONFIG: path.join(dir, 'none.toml'),
    TAPIN_DATABASE_URL: `sqlite://${path.join(dir, 'e2e.db')}`,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
    TAPIN_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TAPIN_LOG: 'warn',
    // The suite's webhook receiver and push service listen on loopback.
    TAPIN_ALLOW_PRIVATE_TARGETS: 'true',
  } as Record<string, string>,
};
