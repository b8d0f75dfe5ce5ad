// The register screen [SH1]–[SH3]: open a shift with a counted float, cash in and out, the X report at
// any time, close with counted cash, then the Z report to print. Every step is a local command: offline works.
import { useState } from 'react';
import { useServices } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useT, useLocale, formatTime } from '@/i18n';
import { useRegister } from '@/db/hooks/use-shift';
import { decodeHlc } from '@/core/shared/hlc';
import { formatMoney } from '@/core/shared/money';
import { DEFAULT_OVER_SHORT_THRESHOLD, needsAttention, xReport } from '@/core/register/shift-report';
import { useRegisterActions } from './use-register-actions';
import { OpenShiftForm } from './open-shift-form';
import { CashMoveForm } from './cash-move-form';
import { CloseShiftForm } from './close-shift-form';
import { ShiftReportView } from './shift-report-view';
import './register.css';

export function RegisterPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const view = useRegister(db);
  const [showX, setShowX] = useState(false);
  const currency = view?.store?.currency ?? 'EUR';
  const actions = useRegisterActions(view?.store?.id ?? '', currency);

  if (!can(who?.role, 'cashier')) return <p>{t('register.cashierOnly')}</p>;
  if (!view) return null;
  const { open, lastClosed } = view;
  const storeName = view.store?.name ?? '';
  const threshold = view.store?.cashOverShortThreshold ?? DEFAULT_OVER_SHORT_THRESHOLD;

  return (
    <section className="register">
      <h1>{t('register.title')}</h1>
      {open ? (
        <>
          <p className="muted">
            {t('register.openedBy', { name: view.names[open.openedBy] ?? open.openedBy, time: formatTime(locale, decodeHlc(open.openedAt).wall), code: view.deviceCode })}
          </p>
          <div className="register-grid">
            <div>
              <CashMoveForm currency={currency} move={(kind, amount, reason) => actions.move(open.id, kind, amount, reason)} />
              <CloseShiftForm
                currency={currency}
                isManager={can(who?.role, 'manager')}
                close={(counted) => actions.close(open.id, counted, xReport(open.float, open.totals).expectedCash)}
              />
            </div>
            <div>
              <div className="inline">
                <button type="button" className="secondary" aria-expanded={showX} onClick={() => setShowX((s) => !s)}>
                  {showX ? t('register.hideX') : t('register.xReport')}
                </button>
                {showX && (
                  <button type="button" className="secondary" onClick={() => window.print()}>
                    {t('register.printX')}
                  </button>
                )}
              </div>
              {showX && <ShiftReportView shift={open} title={t('register.xReport')} storeName={storeName} deviceCode={view.deviceCode} names={view.names} />}
            </div>
          </div>
        </>
      ) : (
        <div className="register-grid">
          <OpenShiftForm currency={currency} open={actions.open} />
          {lastClosed?.closed && (
            <div>
              <ShiftReportView shift={lastClosed} title={t('register.zReport')} storeName={storeName} deviceCode={view.deviceCode} names={view.names} />
              {needsAttention(lastClosed.closed.overShort, threshold) && <p className="warn">{t('register.overShortRaised', { amount: formatMoney(threshold, currency, locale) })}</p>}
              <button type="button" onClick={() => window.print()}>
                {t('register.printZ')}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
