// The till's cart page: lines, discounts, customer, totals, then payment and the receipt. Each job
// is its own component; this page only decides which stage is on screen. Completing a sale is a
// local command: final the moment it is committed, whatever the network does [C5].
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useServices } from '@/state/services';
import { useCart } from '@/state/cart';
import { useT, useLocale } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import { uuidv7 } from '@/core/shared/ids';
import { SELLING } from '@/core/sales/selling-config';
import { Button } from '@/components/button';
import { CartLines } from './cart-lines';
import { CartTotals } from './cart-totals';
import { CustomerAttach } from './customer-attach';
import { DiscountDialog } from './discount-dialog';
import { ManagerApproval } from './manager-approval';
import { PaymentPanel } from './payment-panel';
import { ReceiptActions } from './receipt-actions';
import { RecentReceipts } from './receipt-page';
import { usePricedCart, pricedFor } from './use-priced-cart';
import { useTaxClasses } from '@/db/hooks/use-tax-classes';
import { useCustomer } from '@/db/hooks/use-customer-search';
import { FulfillmentPicker } from './fulfillment-picker';
import { orderProblem } from './order-checks';

const newSaleId = () => uuidv7(Date.now(), (n) => crypto.getRandomValues(new Uint8Array(n)));

export function CartPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const cart = useCart();
  const { store, priced, needsApproval } = usePricedCart(db, cart);
  const classes = useTaxClasses(db, cart.lines.map((l) => l.productId));
  const [discountFor, setDiscountFor] = useState<string | null | undefined>(undefined);
  const [approving, setApproving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const location = useLocation();
  const navigate = useNavigate();
  const customer = useCustomer(db, cart.customer?.id);

  function checkout() {
    setMessage(null);
    if (cart.lines.length === 0) return setMessage(t('cart.emptyShort'));
    if (!priced || !store) return setMessage(t('pay.storeLoading'));
    // [OR1] An order needs a customer we can reach, and a store or an address.
    const problem = orderProblem(useCart.getState(), customer, store.country);
    if (problem) return setMessage(t(problem.key, problem.params));
    // [MO3] Discounts above the limit need a manager before payment starts.
    if (needsApproval) return setApproving(true);
    cart.checkout(newSaleId());
  }

  // "Checkout" in the cart beside the product pages lands here and starts payment.
  // Once per arrival (the location key), and the flag is cleared so a reload does not repeat it.
  const wantsCheckout = (location.state as { checkout?: boolean } | null)?.checkout === true;
  const handled = useRef<string | null>(null);
  const ready = !!priced;
  useEffect(() => {
    if (!wantsCheckout || !ready || handled.current === location.key) return;
    handled.current = location.key;
    void navigate('/cart', { replace: true, state: null });
    checkout();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- checkout reads the current cart; runs once per arrival
  }, [wantsCheckout, ready, location.key]);

  if (cart.stage === 'done' && cart.receipt) return <ReceiptActions saleId={cart.receipt.saleId} receiptNo={cart.receipt.receiptNo} {...(cart.receipt.orderId ? { orderId: cart.receipt.orderId } : {})} onNewSale={cart.newSale} />;
  const currency = store?.currency ?? 'EUR';
  const money = (m: number) => formatMoney(m, currency, locale);
  const paying = cart.stage === 'pay';

  return (
    <section className="cart-page">
      <div className="cart-main">
        <h1>{t('cart.title')}</h1>
        {cart.lines.length === 0 && (
          <>
            <p>
              <Link to="/products">{t('cart.empty')}</Link>
            </p>
            <RecentReceipts />
          </>
        )}
        <CartLines lines={cart.lines} priced={priced} money={money} onDiscount={setDiscountFor} readOnly={paying} />
        {cart.lines.length > 0 && (
          <div className="inline">
            {!paying && (
              <Button variant="secondary" onClick={() => setDiscountFor(null)}>
                {cart.cartDiscount ? t('discount.forCartShort') : t('cart.discount')}
              </Button>
            )}
            <CustomerAttach money={money} />
          </div>
        )}
        {cart.approval && <p className="muted">{t('approval.given', { name: cart.approval.name })}</p>}
        {cart.lines.length > 0 && store && <FulfillmentPicker storeCountry={store.country} readOnly={paying} />}
      </div>
      <div className="cart-side">
        {store === null && <p className="error">{t('pay.storeLoading')}</p>}
        {priced && store && <CartTotals priced={priced} money={money} taxMode={store.taxMode} />}
        {!paying && (
          <Button className="wide" onClick={checkout}>
            {t('cart.checkout')}
          </Button>
        )}
        {message && (
          <p role="alert" className="error">
            {message}
          </p>
        )}
        {paying && priced && store && <PaymentPanel priced={priced} store={store} money={money} />}
        {paying && (
          <Button variant="secondary" onClick={() => (cart.tenders.length > 0 ? setMessage(t('pay.voidFirst')) : cart.backToCart())}>
            {t('pay.backToCart')}
          </Button>
        )}
      </div>
      {discountFor !== undefined && store && classes && (
        <DiscountDialog sku={discountFor} storeId={store.id} currency={currency} priceWith={(c) => pricedFor(c, store, classes)} onClose={() => setDiscountFor(undefined)} />
      )}
      {approving && store && (
        <ManagerApproval
          storeId={store.id}
          what={t('approval.discount', { limit: SELLING.discountApprovalBp / 100 })}
          onApproved={(a) => {
            cart.setApproval(a);
            setApproving(false);
            cart.checkout(newSaleId());
          }}
          onCancel={() => setApproving(false)}
        />
      )}
    </section>
  );
}
