// The till's cart beside search and product pages (till layout): lines with ± buttons, the total and
// Checkout stay in view while the associate finds the next item.
import { useNavigate } from 'react-router';
import { useServices } from '@/state/services';
import { useCart } from '@/state/cart';
import { useT, useLocale } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import { Button } from '@/components/button';
import { CartLines } from './cart-lines';
import { usePricedCart } from './use-priced-cart';

export function CartPanel() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const navigate = useNavigate();
  const cart = useCart();
  const { store, priced } = usePricedCart(db, cart);
  const money = (m: number) => formatMoney(m, store?.currency ?? 'EUR', locale);
  return (
    <aside className="till-cart" aria-label={t('cart.title')}>
      <h2>{t('cart.title')}</h2>
      {cart.stage === 'done' && cart.receipt && (
        <p>
          <Button variant="link" onClick={() => navigate('/cart')}>
            {t('receipt.number', { number: cart.receipt.receiptNo })}
          </Button>
        </p>
      )}
      {cart.lines.length === 0 ? <p className="muted">{t('cart.emptyShort')}</p> : <CartLines lines={cart.lines} priced={priced} money={money} readOnly={cart.stage === 'pay'} />}
      <p className="total">
        {t('cart.total')}: <strong>{money(priced?.total ?? 0)}</strong>
      </p>
      <Button className="wide" disabled={cart.lines.length === 0} onClick={() => navigate('/cart', { state: { checkout: true } })}>
        {t('cart.checkout')}
      </Button>
    </aside>
  );
}
