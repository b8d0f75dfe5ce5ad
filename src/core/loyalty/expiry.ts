// Points expiry [LO2]: points are valid until the end of the 12th calendar month after the month they
// were earned (config `LOYALTY.expiryMonths`), then the server's schedule writes an `expire` entry.
// Every credit to a points account (a sale's points, a positive adjustment, a return putting redeemed
// points back, a merge's transfer) starts a lot on the day it is written; every debit (a redemption,
// a negative adjustment, a return taking earned points back, an expiry) takes from the oldest lot
// first (FIFO). Points already spent are therefore never expired, and an expiry entry itself takes
// the lots it expired, so computing again expires nothing twice. Pure: the server runs it on the
// account's entries; tests run it against a model.
import { LOYALTY } from './loyalty-config';

const DAY_MS = 86_400_000;

/** A points ledger entry with the server time it was written (ms since epoch). */
export interface TimedEntry {
  id: string;
  amount: number;
  at: number;
}

/** Points still held from credits that stop being valid after the same day. */
export interface Lot {
  /** Last day (UTC, `YYYY-MM-DD`) the points may be used. */
  validUntil: string;
  points: number;
}

/** The last day points earned at `at` are valid: the end of the `months`-th month after that month (UTC). */
export function validUntil(at: number, months = LOYALTY.expiryMonths): string {
  const d = new Date(at);
  // Day 0 of the month after is the last day of the month wanted.
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0)).toISOString().slice(0, 10);
}

/** The instant points valid until `day` expire: the midnight (UTC) that ends that day. */
export const expiresAt = (day: string): number => Date.parse(`${day}T00:00:00Z`) + DAY_MS;

/** The lots an account still holds, oldest first: credits grouped by last valid day, less every debit taken oldest first. */
export function lotsOf(entries: readonly TimedEntry[], months = LOYALTY.expiryMonths): Lot[] {
  const credits = entries.filter((e) => e.amount > 0).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let debits = entries.reduce((n, e) => (e.amount < 0 ? n - e.amount : n), 0);
  const lots: Lot[] = [];
  for (const c of credits) {
    const taken = Math.min(debits, c.amount);
    debits -= taken;
    const left = c.amount - taken;
    if (left === 0) continue;
    const day = validUntil(c.at, months);
    const last = lots[lots.length - 1];
    if (last?.validUntil === day) last.points += left;
    else lots.push({ validUntil: day, points: left });
  }
  return lots;
}

/** What expires at `now`: every lot whose last valid day has ended, with the first of those days. */
export function dueToExpire(entries: readonly TimedEntry[], now: number, months = LOYALTY.expiryMonths): { points: number; lots: Lot[] } {
  const lots = lotsOf(entries, months).filter((l) => expiresAt(l.validUntil) <= now);
  return { points: lots.reduce((n, l) => n + l.points, 0), lots };
}

/** The next points to expire and their last valid day, as the profile shows them ahead of time. */
export function nextExpiry(entries: readonly TimedEntry[], months = LOYALTY.expiryMonths): { points: number; on: string } | undefined {
  const first = lotsOf(entries, months)[0];
  return first ? { points: first.points, on: first.validUntil } : undefined;
}
