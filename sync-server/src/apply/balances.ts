// [LO2] On the server a customer's points and store credit are derived from the ledger: after a
// command's handler has run, every customer it wrote or whose accounts it moved gets the balances
// the ledger will hold once the command's entries are in (retried entry ids count once). Whatever a
// handler computed for those fields, the row the tablets pull says Σ entries.
import type { StoreTx } from '../store/store';
import type { Effects, Put } from '../../../src/core/sync/command';
import { streamOf, type CustomerRow } from '../../../src/core/model';
import type { Minor } from '../../../src/core/shared/brand';

/** The customer an account belongs to (`points:<id>`, `credit:<id>`), or undefined for another ledger. */
export function accountCustomer(account: string): string | undefined {
  const m = /^(?:points|credit):(.+)$/.exec(account);
  return m?.[1];
}

/** `effects` with each touched, live customer row carrying its ledger balances. */
export async function deriveBalances(tx: StoreTx, effects: Effects): Promise<Effects> {
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
  const derive = (row: CustomerRow): CustomerRow => ({ ...row, points: balances.get(`points:${row.id}`) ?? 0, storeCredit: (balances.get(`credit:${row.id}`) ?? 0) as Minor });
  const puts: Put[] = effects.puts.map((p) => (p.table === 'customers' && !deleted.has(p.key) ? { ...p, row: derive(p.row as CustomerRow) } : p));
  const unput = live.filter((id) => !effects.puts.some((p) => p.table === 'customers' && p.key === id));
  if (unput.length) {
    const rows = await tx.getMany('customers', unput);
    for (const row of rows) {
      if (!row) continue; // erased or unknown: its entries stay, anonymous, with no profile to show them
      const next = derive(row);
      if (next.points !== row.points || next.storeCredit !== row.storeCredit) puts.push({ table: 'customers', key: row.id, stream: streamOf('customers', next), row: next });
    }
  }
  return { ...effects, puts };
}
