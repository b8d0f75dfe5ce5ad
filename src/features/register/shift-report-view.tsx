// The X report (running) or Z report (closed) of a shift [SH2]: figures from the core's one report
// function, laid out to print on 80 mm paper.
import { useLocale, useT, formatTime, type MessageKey } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import { decodeHlc } from '@/core/shared/hlc';
import { TENDER_KINDS, xReport, zReport } from '@/core/register/shift-report';
import type { ShiftRow } from '@/core/model';

interface Props {
  shift: ShiftRow;
  title: string;
  storeName: string;
  deviceCode: string;
  names: Record<string, string>;
}

export function ShiftReportView({ shift, title, storeName, deviceCode, names }: Props) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const money = (m: number) => formatMoney(m, shift.currency, locale);
  const time = (hlc: string) => formatTime(locale, decodeHlc(hlc).wall);
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const closed = shift.closed;
  const r = xReport(shift.float, shift.totals);
  const z = closed ? zReport(shift.float, shift.totals, closed.counted) : undefined;
  const row = (label: string, value: string, strong = false, tone = '') => (
    <tr key={label} className={[strong ? 'strong' : '', tone].join(' ').trim() || undefined}>
      <th scope="row">{label}</th>
      <td className="num">{value}</td>
    </tr>
  );
  return (
    <article className="shift-report print-80" aria-labelledby={`report-${shift.id}`}>
      <h2 id={`report-${shift.id}`}>{title}</h2>
      <p className="muted">
        {storeName} · {t('report.register', { code: deviceCode })}
        <br />
        {t('report.opened', { time: time(shift.openedAt), name: names[shift.openedBy] ?? shift.openedBy })}
        {closed && (
          <>
            <br />
            {t('report.closed', { time: time(closed.at), name: names[closed.by] ?? closed.by })}
          </>
        )}
      </p>
      <table>
        <tbody>
          {row(t('report.float'), money(r.float))}
          {row(t('report.sales'), String(r.sales))}
          {TENDER_KINDS.map((k) => row(t(`report.tender.${k}` as MessageKey), money(r.byTender[k])))}
          {row(t('report.change'), money(r.change))}
          {row(t('report.cashIn'), money(r.cashIn))}
          {row(t('report.cashOut'), money(r.cashOut))}
          {r.refunds > 0 && row(t('report.refunds'), money(r.refunds))}
          {row(t('report.expected'), money(r.expectedCash), true)}
          {z && row(t('report.counted'), money(z.counted), true)}
          {z && row(t('report.overShort'), money(z.overShort), true, z.overShort < 0 ? 'short' : z.overShort > 0 ? 'over' : '')}
        </tbody>
      </table>
      <h3>{t('report.moves')}</h3>
      {shift.moves.length === 0 ? (
        <p className="muted">{t('report.noMoves')}</p>
      ) : (
        <table>
          <tbody>
            {shift.moves.map((m) => (
              <tr key={m.id}>
                <td>{clock.format(decodeHlc(m.at).wall)}</td>
                <td>{t(`register.reason.${m.reason}` as MessageKey)}</td>
                <td className="num">{money(m.kind === 'in' ? m.amount : -m.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
