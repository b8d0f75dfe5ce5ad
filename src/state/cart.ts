// The cart being built at the till: UI state until "Complete sale" dispatches a command.
import { create } from 'zustand';
import type { Minor } from '@/core/shared/brand';

export interface CartLine {
  sku: string;
  productId: string;
  name: string;
  size: string;
  color: string;
  qty: number;
  unitPrice: Minor;
}

export interface CartState {
  lines: CartLine[];
  customerId: string | null;
  customerName: string | null;
  add(line: Omit<CartLine, 'qty'>, qty?: number): void;
  setQty(sku: string, qty: number): void;
  remove(sku: string): void;
  setCustomer(id: string | null, name: string | null): void;
  clear(): void;
}

export const useCart = create<CartState>((set) => ({
  lines: [],
  customerId: null,
  customerName: null,
  add: (line, qty = 1) =>
    set((s) => {
      const existing = s.lines.find((l) => l.sku === line.sku);
      return {
        lines: existing ? s.lines.map((l) => (l.sku === line.sku ? { ...l, qty: l.qty + qty } : l)) : [...s.lines, { ...line, qty }],
      };
    }),
  setQty: (sku, qty) => set((s) => ({ lines: s.lines.map((l) => (l.sku === sku ? { ...l, qty: Math.max(1, Math.floor(qty)) } : l)) })),
  remove: (sku) => set((s) => ({ lines: s.lines.filter((l) => l.sku !== sku) })),
  setCustomer: (customerId, customerName) => set({ customerId, customerName }),
  clear: () => set({ lines: [], customerId: null, customerName: null }),
}));

/** A sale is in progress while the cart holds anything: the update prompt waits until it is done. */
export const cartInProgress = () => useCart.getState().lines.length > 0;
