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
