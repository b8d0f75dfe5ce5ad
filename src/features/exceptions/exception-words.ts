// [EX1] An exception in words, from its kind and details (never the server's sentence or a command
// name): what happened, who, when and what to do, in the active language. Identical alarms are
// grouped and counted rather than listed again.
import type { ExceptionRow } from '@/core/model';
import { decodeHlc } from '@/core/shared/hlc';
import { formatMoney } from '@/core/shared/money';
import type { Currency } from '@/core/shared/brand';
import { commandWords, hasMessage as has, reasonWords } from '@/i18n/command-words';
import { formatTime, type Locale, type Params, type T } from '@/i18n';

/** What the words need that the row does not carry: names the tablet knows. */
export interface WordFacts {
  locale: Locale;
  /** The store's currency, for amounts (exceptions carry minor units only). */
  currency: Currency;
  /** Associate id → name. */
  people: ReadonlyMap<string, string>;
  /** Device id → its name (from the store's tablet rows [EX2]). */
  tablets: ReadonlyMap<string, string>;
  /** SKU → product name. */
  items: ReadonlyMap<string, string>;
  /** Order id → order number. */
  orders: ReadonlyMap<string, string>;
}

export interface ExceptionWords {
  title: string;
  what: string;
  todo: string;
  who: string;
  when: string;
}

/** One line of the queue: identical alarms together, newest first. */
export interface ExceptionGroup {
  key: string;
  latest: ExceptionRow;
  members: ExceptionRow[];
  /** How many times it happened: members, each counting its own repeats (`details.count`). */
  count: number;
  lastAt: number;
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const low = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** When it was raised, in ms. Rows carry an HLC; a few server rows an ISO time. */
export function raisedAtMs(e: ExceptionRow): number {
  try {
    return decodeHlc(e.raisedAt).wall;
  } catch {
    const ms = Date.parse(e.raisedAt);
    return Number.isFinite(ms) ? ms : 0;
  }
}

/** The last time an alarm counted in place happened (`details.lastAt`), else when it was raised. */
function lastAtMs(e: ExceptionRow): number {
  const last = Date.parse(str(e.details.lastAt));
  return Number.isFinite(last) ? Math.max(last, raisedAtMs(e)) : raisedAtMs(e);
}

/**
 * [EX1] What makes two alarms "the same" for a manager: the same SKU oversold on several receipts,
 * the same refusal of the same kind of change from one tablet… Anything else stands alone.
 */
export function sameness(e: ExceptionRow): string {
  const d = e.details;
  switch (e.kind) {
    case 'oversold':
    case 'price-mismatch':
      return `${e.storeId}|${e.kind}|${str(d.sku)}`;
    case 'rejected-command':
      return `${e.storeId}|${e.kind}|${str(d.deviceId ?? d.origin)}|${str(d.type)}|${str(d.code)}`;
    case 'unverified-actor':
      return `${e.storeId}|${e.kind}|${str(d.deviceId)}|${str(d.type)}|${str(d.actor)}`;
    default:
      return e.id;
  }
}

/** Open exceptions grouped by sameness, newest group first. */
export function groupExceptions(rows: readonly ExceptionRow[]): ExceptionGroup[] {
  const groups = new Map<string, ExceptionGroup>();
  for (const e of rows) {
    if (e.resolved) continue;
    const key = sameness(e);
    const at = lastAtMs(e);
    const times = Math.max(1, num(e.details.count));
    const g = groups.get(key);
    if (!g) groups.set(key, { key, latest: e, members: [e], count: times, lastAt: at });
    else {
      g.members.push(e);
      g.count += times;
      if (at > g.lastAt) {
        g.lastAt = at;
        g.latest = e;
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.lastAt - a.lastAt);
}

/** Who made the command that raised it. */
export function whoWords(t: T, e: ExceptionRow, f: WordFacts): string {
  const by = e.by ?? str(e.details.actor);
  if (by === 'system') return t('exceptions.system');
  if (by.startsWith('channel:')) return t('exceptions.channel');
  if (by) return f.people.get(by) ?? t('exceptions.someone');
  const device = str(e.details.deviceId);
  if (device) return cap(tabletWords(t, device, f));
  return e.details.origin === 'channel' ? t('exceptions.channel') : e.details.origin === 'system' ? t('exceptions.system') : t('exceptions.someone');
}

function tabletWords(t: T, deviceId: string, f: WordFacts): string {
  const name = f.tablets.get(deviceId);
  return name ? t('exceptions.tablet', { name }) : t('exceptions.aTablet');
}

/**
 * The receipt, return or order a command was about, as " (S01-T01-000042)" or " (W1001)" — empty
 * when the alarm does not say. A job's or a channel's key names it too (`order.expire:<orderId>`,
 * the web order's externalId).
 */
function refWords(d: Record<string, unknown>, f: WordFacts, paren = true): string {
  const key = str(d.key);
  const keyed = d.origin === 'channel' ? key : key.slice(key.indexOf(':') + 1);
  const orderId = str(d.orderId) || keyed;
  const ref = str(d.receiptNo) || str(d.returnNo) || str(d.number) || f.orders.get(orderId) || (d.origin === 'channel' ? key : '');
  if (!ref) return '';
  return paren ? ` (${ref})` : ` ${ref}`;
}

export function exceptionWords(t: T, e: ExceptionRow, f: WordFacts): ExceptionWords {
  const d = e.details;
  const money = (v: unknown) => formatMoney(num(v), f.currency, f.locale);
  const item = (sku: unknown) => {
    const s = str(sku);
    return s ? `${f.items.get(s) ?? ''} (${s})`.trim() : t('exceptions.anItem');
  };
  const receipt = str(d.receiptNo) || t('exceptions.aReceipt');
  const device = tabletWords(t, str(d.deviceId), f);
  const kindTitle = (): string => {
    for (const key of [`exceptions.${e.kind}.title`, `exception.kind.${e.kind}`]) if (has(key)) return t(key);
    return t('exceptions.other.title');
  };
  const say = (what: string, params: Params, todo = 'todo', todoParams: Params = {}): Pick<ExceptionWords, 'what' | 'todo'> => {
    const w = `exceptions.${e.kind}.${what}`;
    const td = `exceptions.${e.kind}.${todo}`;
    return has(w) && has(td) ? { what: cap(t(w, params)), todo: t(td, todoParams) } : { what: t('exceptions.other.what'), todo: t('exceptions.other.todo') };
  };
  let words: Pick<ExceptionWords, 'what' | 'todo'>;
  switch (e.kind) {
    case 'oversold':
      words = say('what', { receipt, qty: num(d.qty), item: item(d.sku), onHand: num(d.onHandBefore) });
      break;
    case 'price-mismatch':
      words = say('what', { receipt, item: item(d.sku), sold: money(d.sold), catalog: money(d.catalog) });
      break;
    case 'discount-over-limit':
      words = d.cap !== undefined ? say('whatCap', { receipt, discount: money(d.discount), cap: money(d.cap) }) : say('what', { receipt, discount: money(d.discount), subtotal: money(d.subtotal) });
      break;
    case 'offline-limit':
      // [T3] An offline card payment, or an offline return above its caps.
      words =
        d.kind === 'return-refund'
          ? say('whatReturn', { receipt, amount: money(d.amount), cap: money(d.cap) }, 'todoReturn')
          : d.kind === 'no-receipt'
            ? say('whatNoReceipt', { receipt, amount: money(d.amount), cap: money(d.cap) }, 'todoReturn')
            : d.kind === 'redemption'
              ? say('whatRedemption', { receipt, points: num(d.points), cap: num(d.cap) }, 'todoRedemption')
              : say('what', { receipt, amount: money(d.amount) });
      break;
    case 'loyalty-overdraft':
      words = d.redeemed !== undefined ? say('what', { receipt, redeemed: num(d.redeemed), balance: num(d.balance) }) : say('whatUnknown', { receipt });
      break;
    case 'store-credit-overdraft':
      words = d.used !== undefined ? say('what', { receipt, used: money(d.used), balance: money(d.balance) }) : say('whatUnknown', { receipt });
      break;
    case 'unsourceable': {
      // [PQ1] A line marked short that no other location has: the store decides.
      if (d.reason === 'reassign') {
        words = say('whatReassign', { number: str(d.number), item: item(d.sku), from: Array.isArray(d.shortAt) ? d.shortAt.map(str).join(', ') : str(undefined) }, 'todoReassign');
        break;
      }
      const skus = Array.isArray(d.skus) ? d.skus.map(item).join(', ') : item(undefined);
      words = say('what', { number: str(d.number), skus, source: str(d.sourceId) }, 'todo', { source: str(d.sourceId) });
      break;
    }
    case 'cash-over-short':
      if (d.reason === 'figures-differ') words = say('whatDiffer', { tablet: money(d.tabletExpected), server: money(d.serverExpected) }, 'todoDiffer');
      else if (d.reason === 'second-shift') words = say('whatSecond', {}, 'todoSecond');
      else if (d.reason === 'outside-shift') words = say('whatOutside', { amount: money(d.amount) }, 'todoOutside');
      else words = say(num(d.overShort) >= 0 ? 'whatOver' : 'whatShort', { diff: money(Math.abs(num(d.overShort))), counted: money(d.counted), expected: money(d.expected) });
      break;
    case 'rejected-command': {
      const common = { what: commandWords(t, d.type), ref: refWords(d, f), reason: reasonWords(t, d.code) };
      words = d.deviceId ? say('what', { ...common, device }) : say('whatChain', { ...common, origin: low(d.origin === 'channel' ? t('exceptions.channel') : t('exceptions.system')) });
      break;
    }
    case 'seq-conflict':
      words = say('what', { device, seq: num(d.seq) });
      break;
    case 'clock-skew':
      words = say('what', { device, minutes: Math.max(1, Math.round(num(d.maxAheadMs) / 60_000)) });
      break;
    case 'unverified-actor': {
      const actor = f.people.get(str(d.actor)) ?? t('exceptions.someone');
      words = say('what', { what: commandWords(t, d.type), ref: refWords(d, f), device, actor }, 'todo', { actor });
      break;
    }
    default: {
      // Kinds other branches raise (return-unverified, over-returned, job-failing…): words keyed by kind.
      const kind: string = e.kind;
      words = kind === 'job-failing' ? say('what', { what: commandWords(t, d.type), ref: refWords(d, f), n: Math.max(1, num(d.attempts)) }) : say('what', { ref: refWords(d, f, false) });
    }
  }
  return { title: kindTitle(), ...words, who: whoWords(t, e, f), when: formatTime(f.locale, raisedAtMs(e)) };
}
