// Giving a discount on a line or on the whole cart [MO3]: percent or amount, with a reason code.
// Above the limit the manager approval dialog follows before anything is applied.
import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '@/components/dialog';
import { Button } from '@/components/button';
import { useT, useLocale, type MessageKey } from '@/i18n';
import { useCart, type Approval, type CartData } from '@/state/cart';
import { parseMoneyInput } from '@/core/shared/money-input';
import { overApprovalLimit } from '@/core/pricing/discount-limit';
import { BASIS_POINTS, type Discount, type PricedCart } from '@/core/pricing/price-cart';
import { DISCOUNT_REASONS } from '@/core/sales/sale-complete';
import { SELLING } from '@/core/sales/selling-config';
import type { Currency } from '@/core/shared/brand';
import { ManagerApproval } from './manager-approval';

export interface DiscountDialogProps {
  /** A line's SKU, or null for the whole cart. */
  sku: string | null;
  storeId: string;
  currency: Currency;
  priceWith: (cart: Pick<CartData, 'lines' | 'cartDiscount'>) => PricedCart | undefined;
  onClose: () => void;
}

type Reason = (typeof DISCOUNT_REASONS)[number];

export function DiscountDialog({ sku, storeId, currency, priceWith, onClose }: DiscountDialogProps) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const cart = useCart();
  const line = sku ? cart.lines.find((l) => l.sku === sku) : undefined;
  const current = sku ? line?.discount : (cart.cartDiscount ?? undefined);
  const [kind, setKind] = useState<Discount['kind']>(current?.kind ?? 'percent');
  const [text, setText] = useState('');
  const [reason, setReason] = useState<Reason | ''>((current?.reason as Reason | undefined) ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Discount | null>(null);
  const id = useId();

  const apply = (d: Discount | null, approval: Approval | null) => {
    if (sku) cart.setLineDiscount(sku, d, approval);
    else cart.setCartDiscount(d, approval);
    onClose();
  };
  const withDiscount = (d: Discount | null): Pick<CartData, 'lines' | 'cartDiscount'> =>
    sku ? { lines: cart.lines.map((l) => (l.sku === sku ? { ...l, ...(d ? { discount: d } : { discount: undefined }) } : l)), cartDiscount: cart.cartDiscount } : { lines: cart.lines, cartDiscount: d };

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseMoneyInput(text, currency, locale);
    if (parsed === undefined || parsed <= 0) return setError(t('discount.invalid'));
    // Percentages are typed like amounts ("12,5") and kept in basis points (1250).
    if (kind === 'percent' && parsed > BASIS_POINTS) return setError(t('discount.tooMuch'));
    if (!reason) return setError(t('discount.needReason'));
    const d: Discount = { kind, value: parsed, reason };
    const priced = priceWith(withDiscount(d));
    // The approval covers the discounts as they will stand, so a later one asks again.
    if (priced && overApprovalLimit(priced, SELLING.discountApprovalBp)) return setPending(d);
    apply(d, null);
  }

  if (pending) {
    return <ManagerApproval storeId={storeId} what={t('approval.discount', { limit: SELLING.discountApprovalBp / 100 })} onApproved={(a) => apply(pending, a)} onCancel={() => setPending(null)} />;
  }
  return (
    <Dialog label={line ? t('discount.forLine', { name: line.name }) : t('discount.forCart')} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <fieldset role="radiogroup" aria-label={t('discount.kind')}>
          <legend>{t('discount.kind')}</legend>
          <label>
            <input type="radio" name="discount-kind" checked={kind === 'percent'} onChange={() => setKind('percent')} /> {t('discount.percent')}
          </label>
          <label>
            <input type="radio" name="discount-kind" checked={kind === 'amount'} onChange={() => setKind('amount')} /> {t('discount.amount')}
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-value`}>{t('cart.discount')}</label>
          <input id={`${id}-value`} inputMode="decimal" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} placeholder={kind === 'percent' ? '%' : currency} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('discount.reason')}</label>
          <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value as Reason)}>
            <option value="">{t('discount.chooseReason')}</option>
            {DISCOUNT_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`reason.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="inline">
          <Button type="submit">{t('discount.apply')}</Button>
          {current && (
            <Button variant="secondary" onClick={() => apply(null, null)}>
              {t('discount.remove')}
            </Button>
          )}
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
