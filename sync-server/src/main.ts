// Entry point: reads the environment, opens the store, seeds an empty database with the demo chain,
// and serves the app and API until SIGINT/SIGTERM (then closes cleanly).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from './store/open';
import { createApp } from './http/app';
import { ensureDemo, retireDemoSecrets } from './seed/demo';
import { rollUpAvailability } from './oms/rollup';
import { trustConfig } from './http/trust-config';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

async function main() {
  const env = process.env;
  const port = Number(env.PORT ?? 8080);
  const host = env.HOST ?? '127.0.0.1';
  const store = openStore({ DATABASE_URL: env.DATABASE_URL, DATA_DIR: env.DATA_DIR ?? resolve(root, 'data') });
  await store.migrate();
  // [T4] Demo mode (the default) seeds the demo chain; production mode seeds nothing.
  const trust = trustConfig(env);
  const app = await createApp({
    trust,
    store,
    logger: { level: env.LOG_LEVEL ?? 'info' },
    staticDir: env.STATIC_DIR ?? resolve(root, 'dist'),
    rollupIntervalMs: Number(env.ROLLUP_MS ?? 3000),
    jobsIntervalMs: Number(env.JOBS_MS ?? 1000),
    version: env.npm_package_version ?? 'dev',
  });
  if (trust.mode === 'production') {
    const retired = await retireDemoSecrets(store);
    if (retired > 0) app.log.warn(`Production mode: removed the demo enrollment code and web key from this database (${retired} rows).`);
  }
  if (trust.mode === 'demo' && env.SEED !== 'none') {
    const seeded = await ensureDemo(store, Date.now(), app.log);
    if (seeded) await rollUpAvailability(store, Date.now());
  }
  await app.listen({ port, host });
  app.log.info(`Vitrine is running in ${trust.mode} mode${trust.mode === 'demo' ? ' (demo codes, PINs and keys work; set VITRINE_MODE=production for a real store)' : ''}.`);
  app.log.info(`Vitrine is running on http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port} (${store.dialect})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
