// The PouchDB peer (../shared/peers/pouchdb beside the repo): PouchDB 9 in the same Debian Chromium
// pulling N product docs from a CouchDB-compatible server, as the issue measured it. The peer has
// its own package.json; it is copied to a scratch folder under the OS temp dir and its dependencies
// installed there (never into this project), then its own bench.mjs runs one pull and we read its JSON.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** Where the peer is looked for: POUCHDB_PEER, else ../shared/peers/pouchdb relative to the repo. */
export const PEER_DIR = process.env.POUCHDB_PEER ?? resolve(root, '../shared/peers/pouchdb');

export type PeerPull = { ok: true; ms: number; docs: number; usageBytes?: number; adapter: string; batch: number } | { ok: false; reason: string };

/** A runnable copy of the peer (dependencies installed), reused across runs; or why there is none. */
function peerCopy(): { dir: string } | { reason: string } {
  if (!existsSync(join(PEER_DIR, 'bench.mjs'))) return { reason: `PouchDB peer not found at ${PEER_DIR} (set POUCHDB_PEER to its folder)` };
  const dir = join(tmpdir(), 'vitrine-peer-pouchdb');
  if (!existsSync(join(dir, 'node_modules', 'pouchdb'))) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(PEER_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${PEER_DIR}/node_modules`) && !src.includes(`${PEER_DIR}/data`) });
    console.log(`(PouchDB peer: installing its own dependencies in ${dir} with npm ci …)`);
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) return { reason: `npm ci in the peer's copy (${dir}) failed with status ${r.status}` };
  }
  return { dir };
}

/** One PouchDB pull of `n` docs (fresh Chromium profile), timed by the peer's own harness. */
export function pouchPull(n: number, batch = 1000, adapter = 'indexeddb'): PeerPull {
  const copy = peerCopy();
  if ('reason' in copy) return { ok: false, reason: copy.reason };
  const out = join(mkdtempSync(join(tmpdir(), 'vitrine-peer-out-')), 'pull.json');
  const r = spawnSync(process.execPath, ['bench.mjs', '--only', 'pull', '--n', String(n), '--batch', String(batch), '--adapter', adapter, '--runs', '1', '--label', 'vitrine-bootstrap-bench', '--out', out], {
    cwd: copy.dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CHROMIUM: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  });
  if (r.status !== 0 || !existsSync(out)) return { ok: false, reason: `the peer's bench.mjs exited with status ${r.status}` };
  const json = JSON.parse(readFileSync(out, 'utf8')) as { results: { kind: string; ms: number; n: number; ok: boolean; usageBytes?: number; docCount?: number }[] };
  rmSync(resolve(out, '..'), { recursive: true, force: true });
  const pull = json.results.find((x) => x.kind === 'pull');
  if (!pull || !pull.ok) return { ok: false, reason: 'the peer reported no successful pull' };
  return { ok: true, ms: pull.ms, docs: pull.n, usageBytes: pull.usageBytes, adapter, batch };
}

/** One PouchDB push of `m` sale docs to an empty remote db (fresh Chromium profile), timed by the peer's own harness. */
export function pouchPush(m: number, batch = 1000, adapter = 'indexeddb'): PeerPull {
  const copy = peerCopy();
  if ('reason' in copy) return { ok: false, reason: copy.reason };
  const out = join(mkdtempSync(join(tmpdir(), 'vitrine-peer-out-')), 'push.json');
  const r = spawnSync(process.execPath, ['bench.mjs', '--only', 'push', '--m', String(m), '--push-batch', String(batch), '--adapter', adapter, '--runs', '1', '--label', 'vitrine-drain-bench', '--out', out], {
    cwd: copy.dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CHROMIUM: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  });
  if (r.status !== 0 || !existsSync(out)) return { ok: false, reason: `the peer's bench.mjs exited with status ${r.status}` };
  const json = JSON.parse(readFileSync(out, 'utf8')) as { results: { kind: string; ms: number; n: number; ok: boolean; usageBytes?: number }[] };
  rmSync(resolve(out, '..'), { recursive: true, force: true });
  const push = json.results.find((x) => x.kind === 'push');
  if (!push || !push.ok) return { ok: false, reason: 'the peer reported no successful push' };
  return { ok: true, ms: push.ms, docs: push.n, usageBytes: push.usageBytes, adapter, batch };
}
