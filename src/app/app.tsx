// The shell: gates (enroll → first sync → sign in), navigation, sync status, routes, update prompt.
import { useCallback, useEffect, useState } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { ServicesContext, useServices, type Services } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useCart } from '@/state/cart';
import { useT, useLocale, LOCALES, type Locale, type MessageKey } from '@/i18n';
import { getDevice } from '@/db/device';
import { useUpdate } from './pwa';
import { EnrollPage } from '@/features/session/enroll-page';
import { SignInPage } from '@/features/session/sign-in-page';
import { DemoBadge } from '@/features/session/demo-badge';
import { restoreSession, signOut } from '@/state/pin-auth';
import { SyncStatusBar } from '@/features/sync-status/sync-status';
import { AttentionPage } from '@/features/sync-status/attention-page';
import { ProductsPage } from '@/features/catalog/products-page';
import { ProductPage } from '@/features/catalog/product-page';
import { BarcodeScanner } from '@/features/catalog/scanner';
import { refreshCatalogIndex } from '@/features/catalog/catalog-index';
import { CartPage } from '@/features/checkout/cart-page';
import { CartPanel } from '@/features/checkout/cart-panel';
import { ReceiptPage } from '@/features/checkout/receipt-page';
import { addScannedToCart } from '@/features/checkout/scan-to-cart';
import { startCartStorage } from '@/features/checkout/cart-storage';
import type { VariantRow } from '@/core/model';
import { CustomersPage, CustomerPage } from '@/features/customers/customers-page';
import { ReturnsPage } from '@/features/returns/returns-page';
import { PickupPage } from '@/features/pickup/pickup-page';
import { ExceptionsPage } from '@/features/exceptions/exceptions-page';
import { TodayPage } from '@/features/today/today-page';
import { RegisterPage } from '@/features/register/register-page';

function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <label className="lang">
      <span className="sr-only">{t('lang.label')}</span>
      <select aria-label={t('lang.label')} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l.id} value={l.id}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function UpdatePrompt() {
  const t = useT();
  const { waiting, apply } = useUpdate();
  const busy = useCart((s) => s.lines.length > 0 || s.tenders.length > 0);
  if (!waiting || busy) return null;
  return (
    <div role="alertdialog" aria-label={t('update.available')} className="update">
      <span>{t('update.available')}</span>
      <button type="button" onClick={apply}>
        {t('update.reload')}
      </button>
    </div>
  );
}

function Shell() {
  const t = useT();
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const setWho = useSession((s) => s.set);
  const links: [string, MessageKey][] = [
    ['/products', 'nav.products'],
    ['/cart', 'nav.cart'],
    ['/customers', 'nav.customers'],
    ['/returns', 'nav.returns'],
    ['/pickup', 'nav.pickup'],
  ];
  if (can(who?.role, 'cashier')) links.push(['/register', 'nav.register']);
  if (can(who?.role, 'manager')) links.push(['/exceptions', 'nav.exceptions'], ['/today', 'nav.today']);
  const [unknownCode, setUnknownCode] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  // Warm the search index once someone is signed in, so the first search answers at once.
  useEffect(() => {
    void refreshCatalogIndex(db);
  }, [db]);
  const onUnknown = useCallback((code: string) => setUnknownCode(code), []);
  const { pathname } = useLocation();
  // Till layout: with the cart page open a scan adds the item; elsewhere it opens the product.
  const onFound = useCallback(
    async (v: VariantRow) => {
      if (pathname !== '/cart') return false;
      const outcome = await addScannedToCart(db, v);
      if (outcome === 'paying') setBanner(t('cart.scanWhilePaying'));
      return outcome !== 'not-sellable';
    },
    [db, pathname, t],
  );
  const beside = pathname.startsWith('/products');
  return (
    <div className="shell">
      <BarcodeScanner onUnknown={onUnknown} onFound={onFound} />
      <header>
        <span className="brand">
          {t('app.name')}
          <DemoBadge />
        </span>
        <nav aria-label={t('nav.main')}>
          {links.map(([to, key]) => (
            <NavLink key={to} to={to}>
              {t(key)}
            </NavLink>
          ))}
        </nav>
        {/* The name gives way to the links on a narrow bar; the full text stays in its title. */}
        <span className="who" title={who ? t('signin.signedInAs', { name: who.name, role: t(`role.${who.role}` as MessageKey) }) : undefined}>
          {/* The name shows; the whole "Signed in as … (role)" is read out, so every link fits beside it. */}
          {who && (
            <>
              <span className="sr-only">{t('signin.signedInAs', { name: who.name, role: t(`role.${who.role}` as MessageKey) })}</span>
              <span aria-hidden="true">{who.name}</span>
            </>
          )}
        </span>
        <LanguageSwitch />
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void signOut(db).then(() => setWho(null));
          }}
        >
          {t('signin.signout')}
        </button>
      </header>
      <SyncStatusBar />
      <UpdatePrompt />
      {banner && (
        <p role="alert" className="error banner" onClick={() => setBanner(null)}>
          {banner}
        </p>
      )}
      {unknownCode && (
        <p role="alert" className="error banner" onClick={() => setUnknownCode(null)}>
          {t('products.unknownBarcode', { code: unknownCode })}
        </p>
      )}
      <main className={beside ? 'till' : undefined}>
        <div className="till-main">
        <Routes>
          <Route path="/" element={<Navigate to="/products" replace />} />
          <Route path="/products" element={<ProductsPage />} />
          <Route path="/products/:id" element={<ProductPage />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/customers" element={<CustomersPage />} />
          <Route path="/customers/:id" element={<CustomerPage />} />
          <Route path="/returns" element={<ReturnsPage />} />
          <Route path="/pickup" element={<PickupPage />} />
          <Route path="/exceptions" element={<ExceptionsPage />} />
          <Route path="/today" element={<TodayPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/attention" element={<AttentionPage />} />
          <Route path="/receipts/:saleId" element={<ReceiptPage />} />
          <Route path="*" element={<Navigate to="/products" replace />} />
        </Routes>
        </div>
        {beside && <CartPanel />}
      </main>
      <footer className="build muted">build {__BUILD_ID__}</footer>
    </div>
  );
}

function Gates() {
  const t = useT();
  const { db, engine } = useServices();
  const who = useSession((s) => s.who);
  const setWho = useSession((s) => s.set);
  const [ready, setReady] = useState(false);
  const device = useLiveQuery(async () => (await getDevice(db)) ?? null, [db]);

  useEffect(() => {
    let stopCart: (() => Promise<void>) | undefined;
    void (async () => {
      if (await getDevice(db)) engine.start();
      stopCart = await startCartStorage(db);
      setWho(await restoreSession(db, Date.now()));
      setReady(true);
    })();
    return () => {
      engine.stop();
      void stopCart?.();
    };
  }, [db, engine, setWho]);

  if (!ready || device === undefined) return <p className="centered">{t('app.loading')}</p>;
  if (!device) return <EnrollPage onEnrolled={() => undefined} />;
  if (!who)
    return (
      <>
        <SyncStatusBar />
        <SignInPage />
      </>
    );
  return <Shell />;
}

export function App({ services }: { services: Services }) {
  return (
    <ServicesContext.Provider value={services}>
      <BrowserRouter>
        <Gates />
      </BrowserRouter>
    </ServicesContext.Provider>
  );
}
