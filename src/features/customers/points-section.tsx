// The profile's points [LO2]: what expires next and when, the points history (managers' adjustments
// and expiries, with who, when and why), and "Adjust points": an associate proposes an adjustment
// with a reason and a manager's PIN approves exactly it [RO3][T2]. Works offline; the server re-checks.
import { useState, type FormEvent } from 'react';
import { Dialog } from '@/components/dialog';
import { Button } from '@/components/button';
import { ManagerPinDialog } from '@/components/manager-pin-dialog';
import { useT, useLocale, formatTime, type MessageKey } from '@/i18n';
import { useServices } from '@/state/services';
import { verifyManagerPin } from '@/state/pin-auth';
import { uuidv7 } from '@/core/shared/ids';
import type { CustomerRow, HistoryRow, PointsEvent } from '@/core/model';
import { ADJUST_REASONS, LOYALTY, type AdjustReason } from '@/core/loyalty/loyalty-config';
import { adjustSubject, pointsAdjust } from '@/core/loyalty/points-adjust';
import type { useCustomerCommand } from './use-customer-command';

type Run = ReturnType<typeof useCustomerCommand>['run'];

/** A last valid day (`YYYY-MM-DD`) as people read it, in the UTC day it names. */
const dayWords = (day: string, locale: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const signed = (n: number, locale: string) => `${n > 0 ? '+' : '−'}${Math.abs(n).toLocaleString(locale)}`;

export function PointsSection({ customer, history, balance, run }: { customer: CustomerRow; history: HistoryRow | undefined; balance: number; run: Run }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const [adjusting, setAdjusting] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const expiring = customer.pointsExpiring;
  // What this tablet shows may already be less than the server's figure (an offline redemption).
  const soon = expiring ? Math.min(expiring.points, balance) : 0;
  const events = history?.points ?? [];
  const name = `${customer.firstName} ${customer.lastName}`.trim();
  return (
    <section aria-label={t('points.title')} className="card points">
      <h2>{t('points.title')}</h2>
      {expiring && soon > 0 ? <p>{t('points.expiring', { points: soon.toLocaleString(locale), date: dayWords(expiring.on, locale) })}</p> : <p className="muted">{t('points.noneExpiring')}</p>}
      {done !== null && <p role="status">{t('points.adjusted', { balance: done.toLocaleString(locale) })}</p>}
      <Button variant="secondary" onClick={() => (setDone(null), setAdjusting(true))}>
        {t('points.adjust')}
      </Button>
      {adjusting && (
        <AdjustPoints
          customerId={customer.id}
          name={name}
          balance={customer.points}
          run={run}
          onClose={(after) => {
            setAdjusting(false);
            if (after !== undefined) setDone(after);
          }}
        />
      )}
      <h3>{t('points.history')}</h3>
      {events.length === 0 && <p className="muted">{t('points.noHistory')}</p>}
      <ul className="list">
        {events.map((e) => (
          <PointsLine key={e.id} e={e} />
        ))}
      </ul>
    </section>
  );
}

function PointsLine({ e }: { e: PointsEvent }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  if (e.kind === 'expire') {
    return (
      <li>
        <p>{t('points.event.expire', { points: signed(e.points, locale), date: e.validUntil ? dayWords(e.validUntil, locale) : '' })}</p>
        <small className="muted">{formatTime(locale, e.at)}</small>
      </li>
    );
  }
  return (
    <li>
      <p>
        <strong>{t('points.event.adjust', { points: signed(e.points, locale) })}</strong> · {t(`points.reason.${e.reason ?? 'correction'}` as MessageKey)}
      </p>
      {e.note && <p>“{e.note}”</p>}
      <small className="muted">{t('points.event.by', { by: e.byName ?? '', manager: e.approvedByName ?? '', time: formatTime(locale, e.at) })}</small>
    </li>
  );
}

type Draft = { direction: 'add' | 'take'; amount: string; reason: AdjustReason | ''; note: string };

/** The adjustment form, then the manager's approval of exactly what it says. */
function AdjustPoints({ customerId, name, balance, run, onClose }: { customerId: string; name: string; balance: number; run: Run; onClose: (balanceAfter?: number) => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const [draft, setDraftState] = useState<Draft>({ direction: 'add', amount: '', reason: '', note: '' });
  const [problem, setProblem] = useState<string | null>(null);
  // A refusal is about what was asked: changing the form clears it.
  const setDraft = (d: Draft) => {
    setDraftState(d);
    setProblem(null);
  };
  const [asking, setAsking] = useState<{ adjustmentId: string; points: number; reason: AdjustReason; note: string } | null>(null);
  const limit = LOYALTY.adjustLimit.toLocaleString(locale);

  function check(e: FormEvent) {
    e.preventDefault();
    const n = /^\d{1,6}$/.test(draft.amount.trim()) ? Number(draft.amount.trim()) : NaN;
    if (!(n >= 1 && n <= LOYALTY.adjustLimit)) return setProblem(t('points.bad', { limit }));
    if (!draft.reason) return setProblem(t('points.noReason'));
    if (draft.direction === 'take' && n > balance) return setProblem(t('points.belowZero', { name, balance: Math.max(0, balance).toLocaleString(locale) }));
    setProblem(null);
    setAsking({ adjustmentId: uuidv7(Date.now(), (k) => crypto.getRandomValues(new Uint8Array(k))), points: draft.direction === 'add' ? n : -n, reason: draft.reason, note: draft.note.trim() });
  }

  if (asking) {
    const subject = adjustSubject({ ...asking, customerId });
    const words = { points: Math.abs(asking.points).toLocaleString(locale), name, reason: t(`points.reason.${asking.reason}`) };
    return (
      <ManagerPinDialog
        what={asking.points > 0 ? t('points.approvalAdd', words) : t('points.approvalTake', words)}
        onCancel={() => setAsking(null)}
        check={async (pin) => {
          const r = await verifyManagerPin(db, pin, subject, Date.now());
          if (!r.ok) return t('approval.wrong');
          const approval = { by: r.approval.by, at: r.approval.at, subject: r.approval.subject, mac: r.approval.mac };
          const ok = await run(pointsAdjust, { adjustmentId: asking.adjustmentId, customerId, points: asking.points, reason: asking.reason, ...(asking.note ? { note: asking.note } : {}), approval });
          onClose(ok ? balance + asking.points : undefined);
          return null;
        }}
      />
    );
  }

  return (
    <Dialog label={t('points.adjust')} onClose={() => onClose()}>
      <p>{t('points.adjustIntro', { name, balance: balance.toLocaleString(locale) })}</p>
      <form onSubmit={check} noValidate>
        <div className="inline" role="group" aria-label={t('points.direction')}>
          {(['add', 'take'] as const).map((d) => (
            <Button key={d} variant={draft.direction === d ? 'primary' : 'secondary'} aria-pressed={draft.direction === d} onClick={() => setDraft({ ...draft, direction: d })}>
              {t(d === 'add' ? 'points.add' : 'points.take')}
            </Button>
          ))}
        </div>
        <label>
          {t('points.amount', { limit })}
          <input inputMode="numeric" autoComplete="off" value={draft.amount} maxLength={6} onChange={(e) => setDraft({ ...draft, amount: e.target.value })} />
        </label>
        <label>
          {t('points.reason')}
          <select value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value as AdjustReason })}>
            <option value="">{t('points.chooseReason')}</option>
            {ADJUST_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`points.reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('points.note')}
          <input value={draft.note} maxLength={200} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="inline">
          <Button type="submit">{t('points.askApproval')}</Button>
          <Button variant="secondary" onClick={() => onClose()}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
