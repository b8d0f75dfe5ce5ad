// @vitest-environment jsdom
// The register screen on IndexedDB [SH1][SH2][RO3][MO1]: a float typed the Italian way, a cash out the
// drawer cannot cover refused in the active language, the close offered to managers only, the Z report.
import { describe, it, expect, afterEach } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ServicesContext, type Services } from '@/state/services';
import { useSession, type SignedIn } from '@/state/session';
import { useLocale } from '@/i18n';
import { enrolledDb } from '@/testing/factories';
import type { AssociateId, LocationId } from '@/core/shared/brand';
import { RegisterPage } from './register-page';

afterEach(() => {
  cleanup();
  act(() => useLocale.getState().setLocale('en'));
});

const CARLOS: SignedIn = { id: 'A-S01-CARLOS', name: 'Carlos', role: 'cashier', until: Number.MAX_SAFE_INTEGER };
const MARTA: SignedIn = { id: 'A-S01-MARTA', name: 'Marta', role: 'manager', until: Number.MAX_SAFE_INTEGER };

async function screenFor(who: SignedIn) {
  const db = await enrolledDb();
  await db.associates.bulkPut(
    [CARLOS, MARTA].map((a) => ({ id: a.id as AssociateId, storeId: 'S01' as LocationId, name: a.name, role: a.role, pinHash: '', pinSalt: '', pinIterations: 1, active: true, _v: 1 })),
  );
  act(() => useSession.getState().set(who));
  const services = { db, engine: { reportStorageFull: () => undefined } } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <RegisterPage />
    </ServicesContext.Provider>,
  );
  return db;
}

describe('register screen', () => {
  it('[MO1][SH1] opens a shift with a float typed "1.000,00" in Italian, and refuses a cash out the drawer cannot cover, in Italian', async () => {
    act(() => useLocale.getState().setLocale('it'));
    const db = await screenFor(CARLOS);
    fireEvent.change(await screen.findByLabelText('Fondo cassa iniziale'), { target: { value: '1.000,00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apri turno' }));
    expect(await screen.findByText(/Turno aperto da Carlos/)).toBeInTheDocument();
    expect((await db.shifts.toArray())[0]?.float).toBe(100000);

    fireEvent.change(screen.getByLabelText('Importo'), { target: { value: '1.000,01' } });
    fireEvent.change(screen.getByLabelText('Motivo'), { target: { value: 'safe-drop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Prelievo' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Il cassetto non contiene tanti contanti');
    expect((await db.shifts.toArray())[0]?.moves).toEqual([]);
  });

  it('[RO3] a cashier is not offered the close; a manager closes and sees the Z report with over/short', async () => {
    const db = await screenFor(CARLOS);
    fireEvent.change(await screen.findByLabelText('Opening float'), { target: { value: '150' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open shift' }));
    expect(await screen.findByText('Closing the register needs a manager: ask one to sign in and count the drawer.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Close shift' })).toBeNull();
    cleanup();

    act(() => useSession.getState().set(MARTA));
    render(
      <ServicesContext.Provider value={{ db, engine: { reportStorageFull: () => undefined } } as unknown as Services}>
        <RegisterPage />
      </ServicesContext.Provider>,
    );
    fireEvent.change(await screen.findByLabelText('Counted cash'), { target: { value: '149.90' } });
    fireEvent.click(screen.getByRole('button', { name: 'Close shift' }));
    const z = (await screen.findByRole('heading', { name: 'Z report' })).closest('article')!;
    expect(within(z as HTMLElement).getByRole('row', { name: /Over\/short/ })).toHaveTextContent('-€0.10');
    expect(within(z as HTMLElement).getByRole('row', { name: /Expected cash/ })).toHaveTextContent('€150.00');
    expect(screen.queryByText(/beyond the store's limit/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Open shift' })).toBeInTheDocument();
  });
});
