// [OR3] The delivery date a ship-to-home order promises: a store ships within 2 days, the warehouse
// within 3 (config; the chain's defaults). A line nobody has yet is promised as the warehouse's.
export const DELIVERY_DAYS = { store: 2, warehouse: 3 } as const;

const DAY_MS = 86_400_000;

/** The promised day (YYYY-MM-DD, UTC) for an order placed at `placedMs`, shipped from stores only or not. */
export function promiseDelivery(placedMs: number, fromStoresOnly: boolean): string {
  const days = fromStoresOnly ? DELIVERY_DAYS.store : DELIVERY_DAYS.warehouse;
  return new Date(placedMs + days * DAY_MS).toISOString().slice(0, 10);
}
