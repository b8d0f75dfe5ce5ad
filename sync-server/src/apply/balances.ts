// [LO2] On the server a customer's points and store credit are derived from the ledger: after a
// command's handler has run, every customer it wrote or whose accounts it moved gets the balances
// the ledger will hold once the command's entries are in (retried entry ids count once). Whatever a
// handler computed for those fields, the row the tablets pull says Σ entries.
import type { StoreTx } from '../store/store';
import type { Effects, Put } from '../../../src/core/sync/command';
import { streamOf, type CustomerRow } from '../../../src/core/model';
import type { Minor } from '../../../src/core/shared/brand';
import { expiresAt, nextExpiry } from '../../../src/core/loyalty/expiry';

/** The customer an account belongs to (`points:<id>`, `credit:<id>`), or undefined for another ledger. */
export function accountCustomer(account: string): string | undefined {
  const m = /^(?:points|credit):(.+)$/.exec(account);
  return m?.[1];
}

/**
 * `effects` with each touched, live customer row carrying its ledger balances; and, for each whose
 * points the command moved, the next points to expire [LO2] and the job that expires them [J2]
 * (`loyalty.expire:<customerId>:<day>`: asking twice is one job).
 */
export async function deriveBalances(tx: StoreTx, effects: Effects, now: number): Promise<Effects> {
  const ids = new Set<string>();
  for (const p of effects.puts) if (p.table === 'customers') ids.add(p.key);
  for (const e of effects.ledger) {
    const id = accountCustomer(e.account);
    if (id) ids.add(id);
  }
  if (ids.size === 0) return effects;
  const deleted = new Set((effects.deletes ?? []).filter((d) => d.table === 'customers').map((d) => d.key));
  const live = [...ids].filter((id) => !deleted.has(id));
  const balances = await tx.balancesWith(effects.ledger, live.flatMap((id) => [`points:${id}`, `credit:${id}`]));
  // [LO2] Points moved by this command: their lots change, so the next expiry is read again.
  const moved = new Set(effects.ledger.filter((e) => e.account.startsWith('points:')).map((e) => e.account.slice('points:'.length)));
  const expiring = new Map<string, { points: number; on: string } | undefined>();
  const followUps = [...(effects.followUps ?? [])];
  for (const id of live.filter((x) => moved.has(x))) {
    const account = `points:${id}`;
    const next = nextExpiry([...(await tx.ledgerOf(account)), ...effects.ledger.filter((e) => e.account === account).map((e) => ({ id: e.id, amount: e.amount, at: now }))]);
    expiring.set(id, next);
    if (next) followUps.push({ kind: 'loyalty.expire', key: `${id}:${next.on}`, runAt: expiresAt(next.on), payload: { customerId: id, day: next.on } });
  }
  const derive = (row: CustomerRow): CustomerRow => {
    const out: CustomerRow = { ...row, points: balances.get(`points:${row.id}`) ?? 0, storeCredit: (balances.get(`credit:${row.id}`) ?? 0) as Minor };
    if (!expiring.has(row.id)) return out;
    const next = expiring.get(row.id);
    if (next) out.pointsExpiring = next;
    else delete out.pointsExpiring;
    return out;
  };
  const puts: Put[] = effects.puts.map((p) => (p.table === 'customers' && !deleted.has(p.key) ? { ...p, row: derive(p.row as CustomerRow) } : p));
  const unput = live.filter((id) => !effects.puts.some((p) => p.table === 'customers' && p.key === id));
  if (unput.length) {
    const rows = await tx.getMany('customers', unput);
    for (const row of rows) {
      if (!row) continue; // erased or unknown: its entries stay, anonymous, with no profile to show them
      const next = derive(row);
      if (next.points !== row.points || next.storeCredit !== row.storeCredit || JSON.stringify(next.pointsExpiring) !== JSON.stringify(row.pointsExpiring)) puts.push({ table: 'customers', key: row.id, stream: streamOf('customers', next), row: next });
    }
  }
  return { ...effects, puts, ...(followUps.length ? { followUps } : {}) };
}
