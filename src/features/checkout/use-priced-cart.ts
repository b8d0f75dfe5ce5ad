// The cart priced by the one pricing function [MO2], with what the screens need around it.
import { useMemo } from 'react';
import type { VitrineDb } from '@/db/schema';
import { useStoreLocation } from '@/db/hooks/use-store-location';
import { useTaxClasses } from '@/db/hooks/use-tax-classes';
import { priceCart, type PricedCart } from '@/core/pricing/price-cart';
import { overApprovalLimit } from '@/core/pricing/discount-limit';
import { SELLING } from '@/core/sales/selling-config';
import type { LocationRow } from '@/core/model';
import type { CartData } from '@/state/cart';

export interface PricedView {
  store: LocationRow | null | undefined;
  priced: PricedCart | undefined;
  /** The discounts as they stand need a manager's approval that the cart does not hold [MO3]. */
  needsApproval: boolean;
}

export function pricedFor(cart: Pick<CartData, 'lines' | 'cartDiscount'>, store: LocationRow, classes: ReadonlyMap<string, string>): PricedCart {
  return priceCart({
    taxMode: store.taxMode,
    lines: cart.lines.map((l) => ({ qty: l.qty, unitPrice: l.unitPrice, taxRate: store.taxRates[classes.get(l.productId) ?? 'standard'] ?? 0, ...(l.discount ? { discount: l.discount } : {}) })),
    ...(cart.cartDiscount ? { cartDiscount: cart.cartDiscount } : {}),
  });
}

export function usePricedCart(db: VitrineDb, cart: Pick<CartData, 'lines' | 'cartDiscount' | 'approval'>): PricedView {
  const store = useStoreLocation(db);
  const classes = useTaxClasses(db, cart.lines.map((l) => l.productId));
  const priced = useMemo(() => (store && classes ? pricedFor(cart, store, classes) : undefined), [store, classes, cart]);
  return { store, priced, needsApproval: !!priced && !cart.approval && overApprovalLimit(priced, SELLING.discountApprovalBp) };
}
