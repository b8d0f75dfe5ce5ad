// Subtotal, discounts, tax and total of the priced cart [MO2].
import type { PricedCart } from '@/core/pricing/price-cart';
import type { TaxMode } from '@/core/model';
import { useT } from '@/i18n';

export function CartTotals({ priced, money, taxMode }: { priced: PricedCart; money: (m: number) => string; taxMode: TaxMode }) {
  const t = useT();
  return (
    <dl className="totals">
      {priced.discount > 0 && (
        <>
          <dt>{t('cart.subtotal')}</dt>
          <dd>{money(priced.subtotal)}</dd>
          <dt>{t('cart.discounts')}</dt>
          <dd>−{money(priced.discount)}</dd>
        </>
      )}
      <dt>{taxMode === 'inclusive' ? t('cart.taxIncluded') : t('cart.tax')}</dt>
      <dd>{money(priced.tax)}</dd>
      <dt className="total">{t('cart.total')}</dt>
      <dd className="total">
        <strong>{money(priced.total)}</strong>
      </dd>
    </dl>
  );
}
