// Following merged-away profiles [CL4]: a command naming a customer that was merged into another
// applies to the survivor, however many merges ago.
import type { ReadTx } from '../sync/command';
import type { CustomerRow } from '../model';

/** Merges chain at most this deep; a longer chain is a fault, not a customer. */
const MAX_HOPS = 16;

/** The live profile `id` names: itself, or the survivor its redirects lead to; undefined if none. */
export async function resolveCustomer(tx: ReadTx, id: string): Promise<CustomerRow | undefined> {
  let key = id;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const row = await tx.get('customers', key);
    if (row) return row;
    const r = await tx.get('redirects', key);
    if (!r || r.erased) return undefined;
    key = r.to;
  }
  return undefined;
}

/** [CL6] Whether `id` names an erased profile (itself, or through the redirects of merges). */
export async function isErased(tx: ReadTx, id: string): Promise<boolean> {
  let key = id;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (await tx.get('customers', key)) return false;
    const r = await tx.get('redirects', key);
    if (!r) return false;
    if (r.erased) return true;
    key = r.to;
  }
  return false;
}

/** [CL6] The sentence for a command naming an erased customer. */
export const erasedMessage = (id: string, what: string) => `Customer ${id} was erased at their request, so ${what}; the profile and its data are no longer kept.`;
