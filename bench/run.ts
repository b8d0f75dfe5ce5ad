// `npm run bench [-- --only <name>]`: runs the benchmarks and prints one markdown table each.
// Every figure is compared with a baseline measured in the same run, since the machine is noisy.
import { benchPush } from './push';
import { benchPoke } from './poke';
import { benchBootstrap } from './bootstrap';
import { benchDispatch } from './dispatch';
import { benchCheckout } from './checkout';
import { benchSearch } from './search';
import { benchSearchBrowser } from './search-browser';
import { benchCustomersBrowser } from './customers-browser';
import { closeBrowserEnv } from './browser/harness';
import { benchChannel } from './channel';
import { benchSourcing } from './sourcing';
import { benchDrain } from './drain';

const BENCHES: Record<string, () => Promise<void>> = {
  push: benchPush,
  poke: benchPoke,
  bootstrap: benchBootstrap,
  dispatch: benchDispatch,
  checkout: benchCheckout,
  search: benchSearch,
  'search-browser': benchSearchBrowser,
  'customers-browser': benchCustomersBrowser,
  channel: benchChannel,
  sourcing: benchSourcing,
  drain: benchDrain,
};

const BROWSER = new Set(['bootstrap', 'dispatch', 'checkout', 'search-browser', 'drain']);

async function main() {
  const args = process.argv.slice(2);
  const i = args.indexOf('--only');
  const only = i >= 0 ? args[i + 1]?.split(',') : undefined;
  for (const name of only ?? []) if (!BENCHES[name]) throw new Error(`Unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
  console.log(`# Vitrine benchmarks — ${new Date().toISOString()}, node ${process.version}`);
  const selected = Object.keys(BENCHES).filter((n) => !only || only.includes(n));
  for (const [k, name] of selected.entries()) {
    const fn = BENCHES[name]!;
    // Chromium and its 100k-SKU server go away as soon as no browser benchmark is left to run.
    if (!selected.slice(k).some((n) => BROWSER.has(n))) await closeBrowserEnv();
    const t0 = performance.now();
    await fn();
    console.log(`\n(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  await closeBrowserEnv();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
