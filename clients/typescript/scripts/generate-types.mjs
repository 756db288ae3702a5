#!/usr/bin/env node
// Regenerates src/schema.ts from the OpenAPI document tapin serves.
//   TAPIN_URL=http://127.0.0.1:3000 npm run generate     (a running server)
//   TAPIN_BIN=../../target/debug/tapin npm run generate   (starts one on a temp database)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'src', 'schema.ts');

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let child;
let dir;
let base = process.env.TAPIN_URL;
if (!base) {
  const bin = process.env.TAPIN_BIN ?? path.join(here, '..', '..', '..', 'target', 'debug', 'tapin');
  dir = mkdtempSync(path.join(os.tmpdir(), 'tapin-gen-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      TAPIN_DATABASE_URL: `sqlite://${path.join(dir, 'tapin.db')}`,
      TAPIN_MASTER_KEY_FILE: path.join(dir, 'master.key'),
      TAPIN_CONFIG: path.join(dir, 'none.toml'),
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      TAPIN_PUBLIC_URL: base,
      TAPIN_LOG: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

try {
  let doc;
  for (let i = 0; i < 300 && !doc; i++) {
    try {
      const res = await fetch(`${base}/api/v1/openapi.json`);
      if (res.ok) doc = await res.json();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (!doc) throw new Error(`no OpenAPI document at ${base}/api/v1/openapi.json`);
  const ast = await openapiTS(doc);
  const header =
    '// Generated from tapin\'s OpenAPI document (GET /api/v1/openapi.json) by\n' +
    '// scripts/generate-types.mjs (`npm run generate`). Do not edit by hand.\n\n';
  writeFileSync(out, header + astToString(ast));
  console.log(`wrote ${path.relative(process.cwd(), out)} (tapin ${doc.info?.version ?? '?'})`);
} finally {
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
