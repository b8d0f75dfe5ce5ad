// The payment-terminal adapter [SE2]: the till asks a terminal to authorise an amount and can reverse
// an authorisation [SE4]. The default is a simulated terminal whose answers are chosen by the cents,
// so every path can be reached by hand and by tests: cents 13 declines, cents 14 never answers.
import type { Currency, Minor } from '@/core/shared/brand';

export type CardResult = { status: 'approved'; ref: string } | { status: 'declined'; reason: string } | { status: 'timeout' };

export interface PaymentTerminal {
  /**
   * Authorisation; resolves `timeout` if the terminal does not answer within `timeoutMs`. `offline`:
   * the till has no connection, so the terminal checks the card itself (chip and PIN) and stores the
   * payment to forward later [SE2]: it can still decline, and its reference says it was offline.
   */
  authorize(amount: Minor, currency: Currency, opts: { timeoutMs: number; offline?: boolean }): Promise<CardResult>;
  /** Reverses an approved authorisation of an unfinished sale. */
  reverse(ref: string): Promise<void>;
  /** [RE5] Refunds `amount` to the card of an earlier payment (`ref`, when known). */
  refund(amount: Minor, currency: Currency, opts: { timeoutMs: number; ref?: string }): Promise<CardResult>;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function simulatedTerminal(opts: { delayMs?: number; newRef?: () => string } = {}): PaymentTerminal {
  const delay = opts.delayMs ?? 700;
  let n = 0;
  const newRef = opts.newRef ?? (() => `SIM-${Date.now().toString(36).toUpperCase()}-${++n}`);
  const reversed = new Set<string>();
  return {
    async authorize(amount, _currency, { timeoutMs, offline }) {
      const cents = amount % 100;
      if (cents === 14) {
        await wait(timeoutMs);
        return { status: 'timeout' };
      }
      await wait(Math.min(delay, timeoutMs));
      if (cents === 13) return { status: 'declined', reason: offline ? 'declined-by-card' : 'declined-by-issuer' };
      return { status: 'approved', ref: offline ? `OFFLINE-${newRef()}` : newRef() };
    },
    async reverse(ref) {
      await wait(Math.min(delay, 300));
      reversed.add(ref);
    },
    async refund(amount, _currency, { timeoutMs }) {
      // The same cents rules as a payment, so a declined refund can be reached by hand too.
      const cents = amount % 100;
      if (cents === 14) {
        await wait(timeoutMs);
        return { status: 'timeout' };
      }
      await wait(Math.min(delay, timeoutMs));
      if (cents === 13) return { status: 'declined', reason: 'declined-by-issuer' };
      return { status: 'approved', ref: `R${newRef()}` };
    },
  };
}

/** How long the till waits for the terminal before it says so. */
export const TERMINAL_TIMEOUT_MS = 6_000;

let current: PaymentTerminal = simulatedTerminal();

/** The terminal this till uses; a real adapter replaces the simulated one here. */
export const paymentTerminal = (): PaymentTerminal => current;
export const usePaymentTerminal = (t: PaymentTerminal) => {
  current = t;
};
