// When a discount needs a manager [MO3]: any item sold for more than the limit below its price.
import { BASIS_POINTS, type PricedCart } from './price-cart';

/** True if some line lost more than `limitBp` basis points of its gross (its own discount plus its share of the cart's). */
export function overApprovalLimit(p: Pick<PricedCart, 'lines'>, limitBp: number): boolean {
  // Compared as products, never as a rounded percentage: 20.001 % is above 20 %.
  return p.lines.some((l) => l.discount > 0 && BigInt(l.discount) * BigInt(BASIS_POINTS) > BigInt(limitBp) * BigInt(l.gross));
}
