// Sourcing a web order [W1][J3]: the pickup store if it holds every line, else the nearest other store
// whose stock covers every line, else the warehouse W01 (which may then go short: `unsourceable`).
import type { ReadTx } from '../sync/command';
import { stockKey, type LocationRow } from '../model';
import { lookupSkus } from '../catalog/sku-lookup';

export const WAREHOUSE = 'W01';

/** How many of the nearest candidates have their stock rows read before falling back to the warehouse. */
const MAX_CANDIDATES = 6;

interface Need {
  sku: string;
  qty: number;
}

/** Whether `locationId`'s stock rows cover every line (available = on hand − reserved). */
export async function covers(tx: ReadTx, locationId: string, needs: readonly Need[]): Promise<boolean> {
  const rows = await tx.getMany('stock', needs.map((n) => stockKey(locationId, n.sku)));
  return needs.every((n, i) => {
    const r = rows[i];
    return r !== undefined && r.onHand - r.reserved >= n.qty;
  });
}

/** Squared degrees, scaled for latitude: enough to rank locations by distance. */
const distance = (a: LocationRow, b: LocationRow) => {
  const k = Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return (a.lat - b.lat) ** 2 + ((a.lon - b.lon) * k) ** 2;
};

/**
 * The location that reserves the order's stock. `near` is the pickup store (or undefined for a
 * shipment, which starts from the warehouse). Reads availability rows to find candidates, then
 * confirms them on stock rows, so the same reads give the same answer in plan and in apply [J3].
 */
export async function sourceOrder(tx: ReadTx, near: string | undefined, needs: readonly Need[]): Promise<string> {
  const home = near ?? WAREHOUSE;
  if (await covers(tx, home, needs)) return home;
  // [P1] Availability is one row per product, holding each of its SKUs' figures per location.
  const items = await lookupSkus(tx, needs.map((n) => n.sku));
  const rows = await tx.getMany('productAvailability', items.map((it) => it?.productId ?? ''));
  const avail = needs.map((n, i) => rows[i]?.by[n.sku]);
  const ids = new Set<string>(Object.keys(avail[0] ?? {}));
  for (const id of [...ids]) if (id === home || id === WAREHOUSE || !needs.every((n, i) => (avail[i]?.[id] ?? 0) >= n.qty)) ids.delete(id);
  if (ids.size === 0) return WAREHOUSE;
  const [origin, ...others] = await tx.getMany('locations', [home, ...ids]);
  const ranked = others
    .filter((l): l is LocationRow => l !== undefined)
    .sort((a, b) => (origin ? distance(origin, a) - distance(origin, b) : 0) || a.id.localeCompare(b.id))
    .slice(0, MAX_CANDIDATES);
  for (const l of ranked) if (await covers(tx, l.id, needs)) return l.id;
  return WAREHOUSE;
}

/** One line's share at one location [OR2]. */
export interface Share {
  line: number;
  sku: string;
  locationId: string;
  qty: number;
}

export interface Sourcing {
  shares: Share[];
  /** What no location could cover, per line. */
  unsourced: { line: number; sku: string; qty: number }[];
}

/**
 * [OR2] Sources a till order line by line: the pickup store (`near`; a shipment starts from the
 * warehouse) if its stock covers every line, else the nearest location that covers every line, else
 * the warehouse if it does; otherwise each line is split: whole at the first location in that order
 * that has it all, else taken piece by piece from each in turn. What none has is unsourced.
 * Only stock rows decide (available = on hand − reserved); availability rows only name candidates,
 * so plan and apply, reading the same rows, give the same answer [J3].
 */
export async function allocate(tx: ReadTx, near: string | undefined, needs: readonly Need[], exclude: readonly string[] = []): Promise<Sourcing> {
  const home = near ?? WAREHOUSE;
  const whole = (loc: string): Sourcing => ({ shares: needs.map((n, line) => ({ line, sku: n.sku, locationId: loc, qty: n.qty })), unsourced: [] });
  // [PQ1] A line marked short is sourced again without the locations it was short at (the pickup store
  // still ranks the others by distance).
  const out = new Set(exclude);
  if (!out.has(home) && (await covers(tx, home, needs))) return whole(home);
  const items = await lookupSkus(tx, needs.map((n) => n.sku));
  const rows = await tx.getMany('productAvailability', items.map((it) => it?.productId ?? ''));
  const ids = new Set<string>();
  needs.forEach((n, i) => {
    for (const [id, q] of Object.entries(rows[i]?.by[n.sku] ?? {})) if (q > 0 && id !== home && id !== WAREHOUSE && !out.has(id)) ids.add(id);
  });
  const [origin, ...others] = await tx.getMany('locations', [home, ...[...ids].sort()]);
  const ranked = others
    .filter((l): l is LocationRow => l !== undefined)
    .sort((a, b) => (origin ? distance(origin, a) - distance(origin, b) : 0) || a.id.localeCompare(b.id))
    .slice(0, MAX_CANDIDATES)
    .map((l) => l.id);
  const order = [...new Set([home, ...ranked, WAREHOUSE])].filter((loc) => !out.has(loc));
  // One read of every candidate's stock rows: availability per location and SKU.
  const keys = order.flatMap((loc) => needs.map((n) => stockKey(loc, n.sku)));
  const stock = await tx.getMany('stock', keys);
  const left = new Map<string, number>();
  keys.forEach((k, i) => {
    const r = stock[i];
    left.set(k, r ? Math.max(0, r.onHand - r.reserved) : 0);
  });
  const hasAll = (loc: string) => {
    const want = new Map<string, number>();
    for (const n of needs) want.set(n.sku, (want.get(n.sku) ?? 0) + n.qty);
    return [...want].every(([sku, q]) => (left.get(stockKey(loc, sku)) ?? 0) >= q);
  };
  for (const loc of order) if (loc !== home && hasAll(loc)) return whole(loc);
  const split: Sourcing = { shares: [], unsourced: [] };
  for (const [line, n] of needs.entries()) {
    const one = order.find((loc) => (left.get(stockKey(loc, n.sku)) ?? 0) >= n.qty);
    let rest = n.qty;
    for (const loc of one ? [one] : order) {
      const k = stockKey(loc, n.sku);
      const take = Math.min(rest, left.get(k) ?? 0);
      if (take <= 0) continue;
      split.shares.push({ line, sku: n.sku, locationId: loc, qty: take });
      left.set(k, (left.get(k) ?? 0) - take);
      rest -= take;
      if (rest === 0) break;
    }
    if (rest > 0) split.unsourced.push({ line, sku: n.sku, qty: rest });
  }
  return split;
}
