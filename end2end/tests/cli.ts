// Drives the `tapin` admin CLI against the e2e database, as an operator would.
import { execFileSync } from 'node:child_process';
import { e2e } from './env';

export function tapin(...args: string[]): string {
  return execFileSync(e2e.binary, args, {
    cwd: e2e.root,
    env: { ...process.env, ...e2e.serverEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
