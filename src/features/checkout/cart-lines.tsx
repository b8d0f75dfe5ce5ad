// The cart's lines: quantity with ± buttons, the line's price after discounts, its discount and Remove.
import { useCart, type CartLine } from '@/state/cart';
import type { PricedCart } from '@/core/pricing/price-cart';
import { Button } from '@/components/button';
import { useT } from '@/i18n';

export interface CartLinesProps {
  lines: CartLine[];
  priced: PricedCart | undefined;
  money: (m: number) => string;
  /** Opens the discount dialog for a line; omitted in the compact panel. */
  onDiscount?: (sku: string) => void;
  /** Payment has started: the lines are fixed until it is finished or voided. */
  readOnly?: boolean;
}

export function CartLines({ lines, priced, money, onDiscount, readOnly = false }: CartLinesProps) {
  const t = useT();
  const setQty = useCart((s) => s.setQty);
  const remove = useCart((s) => s.remove);
  return (
    <ul className="list cartlines">
      {lines.map((l, i) => {
        const p = priced?.lines[i];
        return (
          <li key={l.sku} className="cartline" aria-label={l.name}>
            <span className="cartline-name">
              <strong>{l.name}</strong>
              <span className="muted">
                {' '}
                {l.size} · {l.color}
              </span>
              {p && p.discount > 0 && <span className="discount"> −{money(p.discount)}</span>}
            </span>
            <span className="qty">
              {readOnly ? (
                <output aria-label={t('cart.qty', { name: l.name })}>{l.qty} ×</output>
              ) : (
                <>
              <Button variant="secondary" aria-label={t('cart.decrease')} disabled={l.qty <= 1} onClick={() => setQty(l.sku, l.qty - 1)}>
                −
              </Button>
              <output aria-label={t('cart.qty', { name: l.name })}>{l.qty}</output>
              <Button variant="secondary" aria-label={t('cart.increase')} onClick={() => setQty(l.sku, l.qty + 1)}>
                +
              </Button>
                </>
              )}
            </span>
            <span className="price">{p ? money(p.lineTotal) : ''}</span>
            <span className="line-actions">
              {onDiscount && !readOnly && (
                <Button variant="secondary" onClick={() => onDiscount(l.sku)}>
                  {t('cart.discount')}
                </Button>
              )}
              {!readOnly && (
                <Button variant="secondary" aria-label={t('cart.removeLine')} onClick={() => remove(l.sku)}>
                  ×
                </Button>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
