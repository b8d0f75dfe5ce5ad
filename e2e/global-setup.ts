// Builds the app twice (build A served, build B kept for the update test) and starts the server on a
// free port with a fresh data dir. Exposes the URL and paths to specs through environment variables.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

function build(id: string, out: string) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, VITRINE_BUILD_ID: id, VITRINE_OUT_DIR: out },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build ${id} failed`);
}

export default async function globalSetup() {
  const work = mkdtempSync(join(tmpdir(), 'vitrine-e2e-'));
  const distA = join(work, 'dist-a');
  const distB = join(work, 'dist-b');
  const www = join(work, 'www');
  build('e2e-A', distA);
  build('e2e-B', distB);
  mkdirSync(www);
  cpSync(distA, www, { recursive: true });
  const port = await freePort();
  // Every spec enrolls tablets from this one address: lift the per-minute enrollment throttle [T4].
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-server/src/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(work, 'data'), STATIC_DIR: www, SEED_SKUS: '2000', SEED_CUSTOMERS: '300', ROLLUP_MS: '300', LOG_LEVEL: 'warn', DATABASE_URL: '', ENROLL_PER_MINUTE: '1000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (server.exitCode !== null) throw new Error('The server exited during start-up');
    if (Date.now() > deadline) throw new Error('The server did not start within 90 s');
    await new Promise((r) => setTimeout(r, 300));
  }
  process.env.VITRINE_URL = url;
  process.env.VITRINE_WWW = www;
  process.env.VITRINE_DIST_B = distB;
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  };
}
