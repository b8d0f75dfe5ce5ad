// The points history a tablet shows offline [LO2]: managers' adjustments and expiries, newest first,
// on the customer's history row (customers stream), so every tablet sees who moved points, when and why.
import type { PointsEvent } from '../model';
import type { CustomerId } from '../shared/brand';
import type { EffectsBuilder } from '../sync/command';
import { LOYALTY } from './loyalty-config';

const newestFirst = (a: PointsEvent, b: PointsEvent) => (a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1);

/** Two points histories as one (by entry id), newest first, bounded. */
export function mergePointsEvents(...lists: (readonly PointsEvent[] | undefined)[]): PointsEvent[] {
  const byId = new Map(lists.flatMap((l) => l ?? []).map((e) => [e.id, e]));
  return [...byId.values()].sort(newestFirst).slice(0, LOYALTY.historyMax);
}

/** Records `event` on the customer's history row, as an effect of the handler building `b`. */
export async function recordPoints(b: EffectsBuilder, customerId: CustomerId, event: PointsEvent): Promise<void> {
  const row = await b.get('history', customerId);
  b.put('history', { customerId, entries: row?.entries ?? [], count: row?.count ?? 0, ...row, points: mergePointsEvents(row?.points, [event]) });
}
