// Sabotages: bugs put into a temporary copy of the code on purpose, one at a time, to prove the
// simulation's oracle catches each (sabotage.test.ts). Each is a textual patch that must match the
// source exactly once, so a sabotage that no longer applies fails loudly instead of testing nothing.
// The copy lives in the OS temp dir and is deleted afterwards; production code carries no switch.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Patch {
  file: string;
  find: string;
  replace: string;
}

export interface Sabotage {
  name: string;
  /** The rule it breaks: the test cites it. */
  rule: string;
  /** What the bug is, in a sentence. */
  what: string;
  /** Patches to the code (a copy of it), or a sabotage the simulation itself applies (`--sabotage`). */
  patches?: Patch[];
  simFlag?: 'conflict' | 'tablet-row' | 'stock';
}

export const SABOTAGES: readonly Sabotage[] = [
  {
    name: 'cursor-before-page',
    rule: 'P3',
    what: 'the pull cursor is written in its own transaction before the page it covers',
    patches: [
      {
        file: 'src/db/sync-store.ts',
        find: '  const tables = tablesOfStream(page.stream);\n',
        replace: '  const tables = tablesOfStream(page.stream);\n  await db.cursors.put({ stream: page.stream, version: page.version, syncedAt: page.more ? 0 : now });\n',
      },
    ],
  },
  {
    name: 'rebase-without-replay',
    rule: 'P5',
    what: 'a rebase puts the server copies back but does not replay the pending commands',
    patches: [{ file: 'src/db/sync-store.ts', find: '    for (const [i, entry] of pending.entries()) {', replace: '    for (const [i, entry] of pending.slice(0, 0).entries()) {' }],
  },
  {
    name: 'merge-ignores-clock',
    rule: 'CL3',
    what: 'a customer field takes the last write that arrives, whatever its HLC',
    patches: [{ file: 'src/core/customers/profile-edit.ts', find: 'if (seen === undefined || at > seen) {\n      next[f] = v;', replace: 'if (seen === undefined || at !== seen) {\n      next[f] = v;' }],
  },
  {
    name: 'sale-takes-twice',
    rule: 'C5',
    what: 'a sale takes twice the quantity off both the stock row and its movement',
    patches: [
      { file: 'src/core/sales/sale-complete.ts', find: 'const onHand = stock.onHand - l.qty;', replace: 'const onHand = stock.onHand - 2 * l.qty;' },
      { file: 'src/core/sales/sale-complete.ts', find: "qty: -l.qty, kind: 'sale'", replace: "qty: -2 * l.qty, kind: 'sale'" },
    ],
  },
  {
    name: 'points-doubled',
    rule: 'LO1',
    what: 'loyalty points are earned twice over, on the tablet and on the server alike',
    patches: [{ file: 'src/core/loyalty/points.ts', find: 'return Math.floor(units * (TIER_MULTIPLIER[tier] ?? 1));', replace: 'return Math.floor(2 * units * (TIER_MULTIPLIER[tier] ?? 1));' }],
  },
  {
    name: 'rejection-dropped',
    rule: 'C4',
    what: 'a rejected command leaves the outbox without going to "Needs attention"',
    patches: [{ file: 'src/db/sync-store.ts', find: "if (r.status === 'rejected' || (r.status === 'duplicate' && r.result.status === 'rejected')) {", replace: "if (r.status === 'duplicate' && r.result.status === 'rejected') {" }],
  },
  {
    name: 'last-duplicate-reapplied',
    rule: 'C3',
    what: "the server applies again a command whose seq equals the device's last seq",
    patches: [{ file: 'sync-server/src/apply/push.ts', find: 'if (env.seq <= lastSeq) {', replace: 'if (env.seq < lastSeq) {' }],
  },
  {
    name: 'expiry-keeps-reservation',
    rule: 'PQ1',
    what: "the schedule's expiry of a ready order refunds it but does not give its reservation back",
    patches: [{ file: 'src/core/pickup/pickup-commands.ts', find: "  await settle(b, cmd, o, lines, 'release', now);\n  notice(b, o, 'expired', {});", replace: "  notice(b, o, 'expired', {});" }],
  },
  {
    name: 'cancel-applied-twice',
    rule: 'PQ5',
    what: 'a cancel that reaches an order already cancelled releases and refunds it again instead of changing nothing',
    patches: [{ file: 'src/core/pickup/pickup-commands.ts', find: "  if (o.status === 'cancelled') return 'noop';\n", replace: '' }, { file: 'src/core/pickup/pickup-commands.ts', find: "if (o.status !== 'placed' && o.status !== 'picking' && o.status !== 'ready') invalidTransition(o, 'be cancelled');", replace: "if (o.status !== 'placed' && o.status !== 'picking' && o.status !== 'ready' && o.status !== 'cancelled') invalidTransition(o, 'be cancelled');" }],
  },
  {
    name: 'reassign-keeps-reservation',
    rule: 'PQ1',
    what: 'a line marked short and sent back to sourcing keeps its old reservation while the server reserves it again elsewhere',
    patches: [{ file: 'src/core/pickup/pickup-commands.ts', find: "  await settle(b, cmd, o, [line], 'release', now);\n  // Only locations", replace: '  // Only locations' }],
  },
  {
    name: 'adjust-without-approval',
    rule: 'RO3',
    what: 'a points adjustment whose manager approval was not made with her PIN is applied (and flagged) instead of refused',
    patches: [{ file: 'sync-server/src/apply/sign-in-check.ts', find: 'loyalty(?!\\.adjust$)|cash', replace: 'loyalty|cash' }],
  },
  {
    name: 'tier-without-its-clock',
    rule: 'LO1',
    what: 'the tier review writes the new tier but leaves its clock as it was, so a tablet\'s older edit can undo it',
    patches: [{ file: 'src/core/loyalty/tier-review.ts', find: "b.put('customers', { ...c, tier, clock: { ...c.clock, tier: cmd.at } });", replace: "b.put('customers', { ...c, tier });" }],
  },
  {
    name: 'expiry-takes-spent-points',
    rule: 'LO2',
    what: "a points expiry takes the expired lots whole, points already spent (or expired) from them included",
    patches: [{ file: 'src/core/loyalty/expiry.ts', find: 'let debits = entries.reduce((n, e) => (e.amount < 0 ? n - e.amount : n), 0);', replace: 'let debits = 0;' }],
  },
  { name: 'conflicting-duplicate', rule: 'C3', what: 'a duplicated push carries altered content', simFlag: 'conflict' },
  { name: 'tablet-row-edited', rule: 'P7', what: "a tablet's customer row is changed behind the sync's back", simFlag: 'tablet-row' },
  { name: 'stock-without-movement', rule: 'C5', what: 'a stock row moves without a movement', simFlag: 'stock' },
];

const ROOT = resolve(import.meta.dirname, '../../..');

/** Copies what the simulation runs (src, sync-server, tsconfig) to a temp dir and applies the patches. */
export function sabotagedCopy(patches: readonly Patch[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-sabotage-'));
  for (const p of ['src', 'sync-server', 'tsconfig.json', 'package.json']) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  for (const p of patches) {
    const file = join(dir, p.file);
    const text = readFileSync(file, 'utf8');
    const hits = text.split(p.find).length - 1;
    if (hits !== 1) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Sabotage patch for ${p.file} matches ${hits} times (it must match once): ${JSON.stringify(p.find.slice(0, 80))}. Update it to the code as it reads now.`);
    }
    writeFileSync(file, text.replace(p.find, p.replace));
  }
  return dir;
}

export interface SimRun {
  code: number;
  output: string;
}

/** Runs `npm run sim` (its CLI) in `cwd` with the given arguments. */
export function runSimCli(cwd: string, args: readonly string[], timeoutMs: number): Promise<SimRun> {
  return new Promise((done) => {
    const tsx = join(realpathSync(join(ROOT, 'node_modules')), 'tsx/dist/cli.mjs');
    const child = spawn(process.execPath, [tsx, 'sync-server/test/sim/cli.ts', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, output });
    });
  });
}

/** The simulation caught it: the run stopped with one of its own verdicts (`seed <n>: …`), not a crash. */
export function caught(run: SimRun): string | undefined {
  if (run.code === 0) return undefined;
  return /\[sim\] FAILED at seed \d+/.test(run.output) ? (/seed \d+: [^\n]*/.exec(run.output)?.[0] ?? undefined) : undefined;
}
