// @vitest-environment jsdom
// The keyboard-wedge scanner: fast digits then Enter open the product, from any screen, even when the
// screen changes while the scan is being typed (the CI failure where the first digit went missing).
import { describe, it, expect, afterEach } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useNavigate, useLocation } from 'react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { VitrineDb } from '@/db/schema';
import { applyPulledPage } from '@/db/sync-store';
import { ServicesContext, type Services } from '@/state/services';
import { doc } from '@/core/catalog/search/test-catalog';
import { BarcodeScanner } from './scanner';

afterEach(cleanup);

async function catalogDb(): Promise<VitrineDb> {
  const db = new VitrineDb(`scanner-${Date.now()}-${Math.random()}`);
  await applyPulledPage(db, { stream: 'catalog', version: 1, more: false, total: 1, changes: [{ table: 'products', key: 'P1', version: 1, row: doc('P1', 'Camisa', [['M', 'Preto', 1000]]) }] }, 1);
  return db;
}

/** Exposes navigate() to the test, and shows where the router is. */
let go: (to: string) => void = () => undefined;
function Probe() {
  const navigate = useNavigate();
  const loc = useLocation();
  useEffect(() => {
    go = (to) => void navigate(to);
  }, [navigate]);
  return <output aria-label="where">{loc.pathname + loc.search}</output>;
}

function Shell({ db, children }: { db: VitrineDb; children: ReactNode }) {
  const [unknown, setUnknown] = useState('');
  return (
    <ServicesContext.Provider value={{ db } as Services}>
      <MemoryRouter initialEntries={['/products']}>
        <BarcodeScanner onUnknown={setUnknown} />
        <Probe />
        <p role="alert">{unknown}</p>
        {children}
        <Routes>
          <Route path="*" element={null} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>
  );
}

/** Key events as a scanner sends them: `gap` ms apart by their own timestamps, from `t0`. */
function press(keys: readonly string[], t0: number, gap = 8) {
  keys.forEach((key, i) => {
    const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    Object.defineProperty(e, 'timeStamp', { value: t0 + i * gap });
    window.dispatchEvent(e);
  });
}

const BARCODE = doc('P1', 'Camisa', [['M', 'Preto', 1000]]).variants[0]!.barcode;

describe('keyboard-wedge scanner', () => {
  it('fast digits then Enter open the scanned variant', async () => {
    const db = await catalogDb();
    render(<Shell db={db}>{null}</Shell>);
    act(() => press([...BARCODE, 'Enter'], 10_000));
    expect(await screen.findByText('/products/P1?sku=P1-0')).toBeInTheDocument();
  });

  it('a scan that begins while the screen changes keeps its first digits', async () => {
    const db = await catalogDb();
    render(<Shell db={db}>{null}</Shell>);
    act(() => press([...BARCODE.slice(0, 2)], 20_000));
    // The route changes between the second and third digit (the previous screen was still being
    // replaced when the scanner started typing).
    act(() => go('/customers'));
    expect(screen.getByLabelText('where')).toHaveTextContent('/customers');
    act(() => press([...BARCODE.slice(2), 'Enter'], 20_000 + 2 * 8));
    expect(await screen.findByText('/products/P1?sku=P1-0')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('');
  });

  it('digits typed by a person (slower than a scanner) are not a scan', async () => {
    const db = await catalogDb();
    render(<Shell db={db}>{null}</Shell>);
    act(() => press([...BARCODE, 'Enter'], 30_000, 120));
    await new Promise((ok) => setTimeout(ok, 50));
    expect(screen.getByLabelText('where')).toHaveTextContent('/products');
    expect(screen.getByLabelText('where')).not.toHaveTextContent('sku=');
  });

  it('an unknown code is reported with the whole code', async () => {
    const db = await catalogDb();
    render(<Shell db={db}>{null}</Shell>);
    act(() => press([...'5600000000000', 'Enter'], 40_000));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/^5600000000000$/));
  });
});
