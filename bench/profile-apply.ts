// The server's apply path alone, profiled: batches of two-line cash sales pushed through the real
// route (token, signature, body, zod, handlers, write-behind, commit), with the request bodies and
// their signatures made before the clock starts, so only the server's work is timed and sampled.
//   npx tsx bench/profile-apply.ts [--backend sqlite|postgres] [--batches 5] [--batch 500]
//        [--skus 20000] [--signed] [--sql] [--profile out.cpuprofile]
// Without --signed the sales carry no sign-in proof, like the drain bench's tablet (each is applied
// with an unverified-actor exception [T2]); with it, one proof per actor, as a till signed in once.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { TestTablet, rawInject, keyOf, signatureHeaders, sellable, withSignIn } from '../sync-server/test/helpers/client';
import type { Envelope, PushResponse } from '../src/core/sync/protocol';
import { openFixture } from './server-fixture';
import { prng } from '../src/core/catalog/search/synthetic-catalog';
import type { BackendName } from '../sync-server/test/helpers/stores';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

import Database from 'better-sqlite3';
const sqlTime = new Map<string, { n: number; ms: number; rows: number }>();
function patchSqlite(): void {
  const proto = Object.getPrototypeOf(new Database(':memory:').prepare('select 1')) as Record<string, (...a: unknown[]) => unknown> & { source: string };
  for (const m of ['run', 'all', 'get', 'iterate']) {
    const orig = proto[m]!;
    proto[m] = function (this: { source: string }, ...a: unknown[]) {
      const t0 = performance.now();
      const r = orig.apply(this, a);
      const k = this.source.replace(/\((\?, ?)+\?\)(, \((\?, ?)+\?\))*/g, '(?…)').replace(/in \((\?, ?)*\?\)/g, 'in (…)').slice(0, 110);
      const e = sqlTime.get(k) ?? { n: 0, ms: 0, rows: 0 };
      e.n++;
      e.ms += performance.now() - t0;
      sqlTime.set(k, e);
      return r;
    };
  }
}
if (process.argv.includes('--sql')) patchSqlite();

async function main(): Promise<void> {
  const backend = arg('backend', 'sqlite') as BackendName;
  const batches = Number(arg('batches', '5'));
  const size = Number(arg('batch', '500'));
  const skus = Number(arg('skus', '20000'));
  const signed = process.argv.includes('--signed');
  const out = arg('profile', '');
  const fx = await openFixture({ backend, skus });
  try {
    const t = await TestTablet.enroll(fx.app, 'Profile till');
    const key = keyOf(t.enrollment.deviceToken)!;
    const items = sellable(fx.chain, 1);
    const rnd = prng(7);
    const pick = () => items[Math.floor(rnd() * items.length)]!;
    let proof: Envelope['signIn'] | undefined;
    // A register shift, as the drain bench's tablet has: every sale adds to its totals [SH2].
    const shiftId = randomUUID();
    const opened = await t.pushOk([t.command('shift.open', { shiftId, storeId: 'S01', float: 10_000 })]);
    if (opened.results[0]?.status !== 'applied') throw new Error(`shift.open: ${JSON.stringify(opened.results[0])}`);
    const make = async (): Promise<Envelope> => {
      const a = pick();
      const b = pick();
      const env = t.command('sale.complete', {
        ...t.salePayload([
          { sku: a.stock.sku, qty: 1, unitPrice: a.unitPrice },
          { sku: b.stock.sku, qty: 1, unitPrice: b.unitPrice },
        ]),
        shiftId,
      });
      if (!signed) return env;
      proof ??= (await withSignIn(fx.db.store, env)).signIn;
      return { ...env, signIn: proof };
    };
    const bodies: { body: string; headers: Record<string, string> }[] = [];
    const url = '/api/v1/sync/push';
    for (let i = 0; i <= batches; i++) {
      const commands: Envelope[] = [];
      for (let j = 0; j < size; j++) commands.push(await make());
      const body = JSON.stringify({ deviceId: t.id, commands });
      bodies.push({ body, headers: { 'content-type': 'application/json', ...t.auth, ...signatureHeaders(key.privateKey, t.id, 'POST', url, body) } });
    }
    const send = async (b: { body: string; headers: Record<string, string> }): Promise<PushResponse> => {
      const r = await rawInject(fx.app, { method: 'POST', url, payload: b.body, headers: b.headers });
      if (r.statusCode !== 200) throw new Error(`push failed: ${r.statusCode} ${r.body}`);
      return r.json<PushResponse>();
    };
    await send(bodies[0]!); // warm-up: one whole batch (JIT, statement caches)
    const session = new Session();
    if (out) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    sqlTime.clear();
    const ms: number[] = [];
    let applied = 0;
    const cpu0 = process.cpuUsage();
    for (const b of bodies.slice(1)) {
      const t0 = performance.now();
      const r = await send(b);
      ms.push(performance.now() - t0);
      applied += r.results.filter((x) => x.status === 'applied').length;
    }
    const cpu = process.cpuUsage(cpu0);
    const total = ms.reduce((a, b) => a + b, 0);
    console.log(`${backend}: ${applied} sales applied in ${batches} pushes of ${size}: ${total.toFixed(0)} ms, ${Math.round(applied / (total / 1000))}/s; CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (${((cpu.user + cpu.system) / 1000 / applied * 1000).toFixed(0)} µs a sale); per push ${ms.map((m) => m.toFixed(0)).join(', ')} ms${signed ? ' (signed in)' : ' (no sign-in: unverified-actor)'}`);
    if (sqlTime.size) console.log([...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25).map(([k, e]) => `${e.ms.toFixed(0).padStart(6)} ms ${String(e.n).padStart(6)}× ${k}`).join('\n'));
    if (out) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[] } };
      writeFileSync(out, JSON.stringify(profile));
      summarise(profile.nodes);
      session.disconnect();
    }
  } finally {
    await fx.close();
  }
}

/** Self time by function and by file, and total (inclusive) time of the project's own functions. */
function summarise(nodes: ProfileNode[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const all = nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const self = new Map<string, number>();
  const file = new Map<string, number>();
  const short = (u: string) => u.replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/work\/[^/]+\/[^/]+\//, '');
  for (const n of nodes) {
    const k = `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + (n.hitCount ?? 0));
    const f = short(n.callFrame.url) || n.callFrame.functionName;
    file.set(f, (file.get(f) ?? 0) + (n.hitCount ?? 0));
  }
  // Inclusive: a function's hits and all its descendants', counted once per stack.
  const incl = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id)!;
    let h = n.hitCount ?? 0;
    const k = `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const fresh = !onStack.has(k);
    if (fresh) onStack.add(k);
    for (const c of n.children ?? []) h += walk(c, onStack);
    if (fresh) {
      onStack.delete(k);
      incl.set(k, (incl.get(k) ?? 0) + h);
    }
    return h;
  };
  walk(nodes[0]!.id, new Set());
  const pct = (n: number) => `${((100 * n) / all).toFixed(1)} %`;
  const top = (m: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) =>
    [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${pct(v).padStart(7)}  ${k}`).join('\n');
  console.log(`samples: ${all}\nself, by function:\n${top(self, 40)}\nself, by file:\n${top(file, 25)}\ninclusive, project code:\n${top(incl, 45, (k) => /(src|sync-server)\/|\.prof\.mjs/.test(k) && !k.includes('node_modules'))}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
