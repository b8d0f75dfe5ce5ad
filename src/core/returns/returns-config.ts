// Returns policy (config defaults from domain.md [RE1]–[RE7]). One object so a chain's configuration
// can replace it whole; today every store runs the defaults.
import type { Minor } from '../shared/brand';

export interface ReturnsConfig {
  /** [RE2] Days after the purchase a return needs no manager. */
  windowDays: number;
  /** [RO2] A return refunding more than this (minor units) needs a manager's approval. */
  refundLimit: Minor;
  /** [RE7] A return of a web order the tablet has never seen is refunded to store credit only. */
  unseenStoreCreditOnly: boolean;
  /** [T3] Offline, one return refunds at most this in cash and to cards (store credit is not capped). */
  offlineMoneyRefund: Minor;
  /** [T3] Offline, a return without a receipt is worth at most this. */
  offlineNoReceipt: Minor;
  /** [T3] …and one tablet refunds at most this in cash and to cards, in all, until it syncs. */
  offlineMoneyRefundPerDevice: Minor;
}

export const RETURNS: ReturnsConfig = {
  windowDays: 30,
  refundLimit: 50_000 as Minor,
  unseenStoreCreditOnly: true,
  offlineMoneyRefund: 20_000 as Minor,
  offlineNoReceipt: 10_000 as Minor,
  offlineMoneyRefundPerDevice: 50_000 as Minor,
};

/**
 * [T3] What an offline return may not do on its own: money refunds (cash, card) and no-receipt
 * value above the per-return caps. The tablet refuses it before the terminal is touched; the server
 * applies one that arrives anyway [C5] and raises `offline-limit`.
 */
export function offlineLimitBreach(o: { money: number; noReceipt: boolean; value: number; pending?: number }): { kind: 'money' | 'no-receipt' | 'device'; amount: number; cap: Minor; left?: number } | undefined {
  if (o.money > RETURNS.offlineMoneyRefund) return { kind: 'money', amount: o.money, cap: RETURNS.offlineMoneyRefund };
  // The tablet's running total of money refunded offline and not yet synced (the server sees returns one by one).
  const pending = o.pending ?? 0;
  if (o.money > 0 && pending + o.money > RETURNS.offlineMoneyRefundPerDevice) return { kind: 'device', amount: o.money, cap: RETURNS.offlineMoneyRefundPerDevice, left: Math.max(0, RETURNS.offlineMoneyRefundPerDevice - pending) };
  if (o.noReceipt && o.value > RETURNS.offlineNoReceipt) return { kind: 'no-receipt', amount: o.value, cap: RETURNS.offlineNoReceipt };
  return undefined;
}
