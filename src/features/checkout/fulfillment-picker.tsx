// [OR1] How the customer gets the cart: take now, ship home (with an address checked for its country),
// ship to this store, or pick up at another store — stores with availability first, from the network's
// availability this tablet holds (it works offline; the server sources for real [OR2]).
import { useServices } from '@/state/services';
import { useCart, type FulfillmentKind } from '@/state/cart';
import { usePickupStores } from '@/db/hooks/use-order';
import { POSTAL_PLANS } from '@/core/customers/address';
import { useT, useLocale, type MessageKey } from '@/i18n';

const KINDS: { kind: FulfillmentKind; label: MessageKey }[] = [
  { kind: 'take-now', label: 'cart.takeNow' },
  { kind: 'ship-home', label: 'cart.shipHome' },
  { kind: 'ship-store', label: 'cart.shipStore' },
  { kind: 'pickup-other', label: 'cart.pickupOther' },
];

const COUNTRIES = Object.keys(POSTAL_PLANS);

export function FulfillmentPicker({ storeCountry, readOnly }: { storeCountry: string; readOnly: boolean }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const cart = useCart();
  const stores = usePickupStores(db, cart.lines.map((l) => ({ sku: l.sku, productId: l.productId, qty: l.qty })));
  const regions = new Intl.DisplayNames([locale], { type: 'region' });
  const country = cart.address.country || storeCountry;

  return (
    <fieldset className="fulfillment card" disabled={readOnly}>
      <legend>{t('cart.fulfillment')}</legend>
      <div role="radiogroup" aria-label={t('cart.fulfillment')} className="inline">
        {KINDS.map((k) => (
          <label key={k.kind}>
            <input type="radio" name="fulfillment" value={k.kind} checked={cart.fulfillment === k.kind} onChange={() => cart.setFulfillment(k.kind)} />
            {t(k.label)}
          </label>
        ))}
      </div>
      {cart.fulfillment === 'pickup-other' && (
        <label>
          {t('order.pickupStore')}
          <select value={cart.pickupStoreId ?? ''} onChange={(e) => cart.setPickupStore(e.target.value || null)}>
            <option value="">{t('order.chooseStore')}</option>
            {(stores ?? []).map((o) => (
              <option key={o.store.id} value={o.store.id}>
                {o.all ? t('order.storeHasAll', { name: o.store.name }) : o.covered > 0 ? t('order.storeHasSome', { name: o.store.name, n: o.covered, total: cart.lines.length }) : t('order.storeHasNone', { name: o.store.name })}
              </option>
            ))}
          </select>
        </label>
      )}
      {cart.fulfillment === 'ship-home' && (
        <div className="address">
          <label>
            {t('order.street')}
            <input value={cart.address.street} autoComplete="street-address" onChange={(e) => cart.setAddress({ street: e.target.value })} />
          </label>
          <label>
            {t('order.city')}
            <input value={cart.address.city} autoComplete="address-level2" onChange={(e) => cart.setAddress({ city: e.target.value })} />
          </label>
          <label>
            {t('order.postalCode')}
            <input value={cart.address.postalCode} autoComplete="postal-code" placeholder={POSTAL_PLANS[country]?.example} onChange={(e) => cart.setAddress({ postalCode: e.target.value })} />
          </label>
          <label>
            {t('order.country')}
            <select value={country} onChange={(e) => cart.setAddress({ country: e.target.value })}>
              {COUNTRIES.map((c) => (
                <option key={c} value={c}>
                  {regions.of(c) ?? c}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
    </fieldset>
  );
}
