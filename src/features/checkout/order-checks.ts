// [OR1] What an order needs before payment starts, in words: a customer we can reach, and the store
// it is collected at or an address a carrier can deliver to (checked for its country).
import type { CartData } from '@/state/cart';
import type { CustomerRow } from '@/core/model';
import type { MessageKey } from '@/i18n';
import { checkAddress } from '@/core/customers/address';

export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Why the cart cannot be ordered as chosen, or null (also null for "Take now"). */
export function orderProblem(cart: Pick<CartData, 'fulfillment' | 'customer' | 'pickupStoreId' | 'address'>, customer: CustomerRow | undefined, storeCountry: string): Problem | null {
  if (cart.fulfillment === 'take-now') return null;
  if (!cart.customer) return { key: 'order.needsCustomer' };
  const email = customer?.email ?? cart.customer.email;
  if (!email && !customer?.phone) return { key: 'order.needsContact', params: { name: cart.customer.name } };
  if (cart.fulfillment === 'pickup-other' && !cart.pickupStoreId) return { key: 'order.needsStore' };
  if (cart.fulfillment === 'ship-home') {
    const a = checkAddress({ ...cart.address, country: cart.address.country || storeCountry });
    if (!a.ok) return a.problem === 'postal-code' ? (a.example ? { key: 'order.address.postal-code', params: { example: a.example } } : { key: 'order.address.postal-code-any' }) : { key: `order.address.${a.problem}` };
  }
  return null;
}
