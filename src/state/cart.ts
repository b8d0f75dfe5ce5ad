// The cart being built at the till, and the payment being taken for it [SE1]. UI state, but durable:
// every change is written through to IndexedDB (src/db/cart-store), so a reload, a crash or an
// associate switch finds the cart, the tenders already taken and the receipt on screen as they were.
import { create } from 'zustand';
import type { Minor } from '@/core/shared/brand';
import type { Discount } from '@/core/pricing/price-cart';
import type { Tender } from '@/core/model';

export interface CartLine {
  sku: string;
  productId: string;
  name: string;
  size: string;
  color: string;
  qty: number;
  unitPrice: Minor;
  discount?: Discount;
}

/** A tender taken for the sale in progress: cash counted, a card authorised, a balance reserved. */
export interface TakenTender {
  id: string;
  kind: Tender['kind'];
  amount: Minor;
  /** Card authorisation reference: a void reverses it [SE4]. */
  ref?: string;
  offline?: boolean;
}

export interface CartCustomer {
  id: string;
  name: string;
  email: string;
}

/** A manager's approval as the till keeps it: the proof [T2] travels with the sale, the name is shown. */
export interface Approval {
  by: string;
  name: string;
  at: number;
  subject: unknown;
  mac: string;
}

export type Stage = 'cart' | 'pay' | 'done';

/** [OR1] How the customer gets the cart: carried out now, or ordered (shipped home, here, or to another store). */
export type FulfillmentKind = 'take-now' | 'ship-home' | 'ship-store' | 'pickup-other';

/** A ship-to-home address as typed (checked at Checkout). */
export interface AddressDraft {
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface CartData {
  lines: CartLine[];
  customer: CartCustomer | null;
  cartDiscount: Discount | null;
  /** A manager's approval of the discounts as they stand; any discount change clears it [MO3]. */
  approval: Approval | null;
  stage: Stage;
  tenders: TakenTender[];
  /** The id the sale will be committed under: before ringing it again, the till checks it is not already there. */
  saleId: string | null;
  /** The receipt on screen after a sale, until "New sale"; an order's id when the cart was ordered [OR1]. */
  receipt: { saleId: string; receiptNo: string; orderId?: string } | null;
  /** [OR1] Take now, or an order; the store and address it needs. */
  fulfillment: FulfillmentKind;
  pickupStoreId: string | null;
  address: AddressDraft;
}

export interface CartState extends CartData {
  hydrated: boolean;
  add(line: Omit<CartLine, 'qty' | 'discount'>, qty?: number): void;
  setQty(sku: string, qty: number): void;
  remove(sku: string): void;
  setLineDiscount(sku: string, discount: Discount | null, approval?: Approval | null): void;
  setCartDiscount(discount: Discount | null, approval?: Approval | null): void;
  setCustomer(customer: CartCustomer | null): void;
  setApproval(approval: Approval | null): void;
  checkout(saleId: string): void;
  backToCart(): void;
  addTender(t: TakenTender): void;
  removeTender(id: string): void;
  completed(receipt: { saleId: string; receiptNo: string; orderId?: string }): void;
  setFulfillment(kind: FulfillmentKind): void;
  setPickupStore(storeId: string | null): void;
  setAddress(address: Partial<AddressDraft>): void;
  newSale(): void;
  clear(): void;
}

export const EMPTY_ADDRESS: AddressDraft = { street: '', city: '', postalCode: '', country: '' };

export const EMPTY_CART: CartData = { lines: [], customer: null, cartDiscount: null, approval: null, stage: 'cart', tenders: [], saleId: null, receipt: null, fulfillment: 'take-now', pickupStoreId: null, address: EMPTY_ADDRESS };

const MAX_LINE_QTY = 9_999;

export const useCart = create<CartState>((set) => ({
  ...EMPTY_CART,
  hydrated: false,
  add: (line, qty = 1) =>
    set((s) => {
      // A scan after the receipt starts the next sale: the receipt stays reprintable from its record.
      const base = s.stage === 'done' ? EMPTY_CART : s;
      const existing = base.lines.find((l) => l.sku === line.sku);
      return {
        ...base,
        lines: existing ? base.lines.map((l) => (l.sku === line.sku ? { ...l, qty: Math.min(MAX_LINE_QTY, l.qty + qty) } : l)) : [...base.lines, { ...line, qty }],
      };
    }),
  setQty: (sku, qty) => set((s) => ({ lines: s.lines.map((l) => (l.sku === sku ? { ...l, qty: Math.min(MAX_LINE_QTY, Math.max(1, Math.floor(qty))) } : l)) })),
  remove: (sku) => set((s) => ({ lines: s.lines.filter((l) => l.sku !== sku), approval: null })),
  setLineDiscount: (sku, discount, approval = null) =>
    set((s) => ({
      lines: s.lines.map((l) => {
        if (l.sku !== sku) return l;
        const { discount: _old, ...rest } = l;
        return discount ? { ...rest, discount } : rest;
      }),
      approval,
    })),
  setCartDiscount: (cartDiscount, approval = null) => set({ cartDiscount, approval }),
  setCustomer: (customer) => set({ customer }),
  setApproval: (approval) => set({ approval }),
  checkout: (saleId) => set((s) => ({ stage: 'pay', saleId: s.saleId ?? saleId })),
  backToCart: () => set({ stage: 'cart' }),
  addTender: (t) => set((s) => ({ tenders: [...s.tenders, t] })),
  removeTender: (id) => set((s) => ({ tenders: s.tenders.filter((t) => t.id !== id) })),
  completed: (receipt) => set({ ...EMPTY_CART, stage: 'done', receipt }),
  newSale: () => set({ ...EMPTY_CART }),
  setFulfillment: (fulfillment) => set({ fulfillment }),
  setPickupStore: (pickupStoreId) => set({ pickupStoreId }),
  setAddress: (a) => set((s) => ({ address: { ...s.address, ...a } })),
  clear: () => set({ ...EMPTY_CART }),
}));

const DATA_KEYS = Object.keys(EMPTY_CART) as (keyof CartData)[];
const dataOf = (s: CartState): CartData => Object.fromEntries(DATA_KEYS.map((k) => [k, s[k]])) as unknown as CartData;

/**
 * Loads the cart kept on this tablet, then writes every change back, in order (one write at a time,
 * the latest state each time). Returns the unsubscribe function, which resolves once the writes
 * already started have landed.
 */
export async function bindCartStorage(load: () => Promise<unknown>, save: (data: CartData) => Promise<void>): Promise<() => Promise<void>> {
  const kept = (await load()) as Partial<CartData> | undefined;
  useCart.setState({ ...EMPTY_CART, ...(kept ?? {}), hydrated: true });
  let writing: Promise<void> = Promise.resolve();
  let last = dataOf(useCart.getState());
  const unsubscribe = useCart.subscribe((s) => {
    const data = dataOf(s);
    if (DATA_KEYS.every((k) => data[k] === last[k])) return;
    last = data;
    // A failed write (a full disk) leaves the previous cart kept; the next change writes it all again.
    writing = writing.then(() => save(data)).catch(() => undefined);
  });
  return () => {
    unsubscribe();
    return writing;
  };
}

/** A sale is in progress while the cart holds anything or a payment is open: the update prompt waits. */
export const cartInProgress = () => {
  const s = useCart.getState();
  return s.lines.length > 0 || s.tenders.length > 0;
};
