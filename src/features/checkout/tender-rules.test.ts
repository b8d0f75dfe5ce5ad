// [SE2][LO3] What the till refuses to take, and that it always says why.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkTender, redeemablePoints, type TenderContext } from './tender-rules';
import { SELLING } from '@/core/sales/selling-config';
import type { Minor } from '@/core/shared/brand';
import { pointsForAmount } from '@/core/loyalty/points';
import type { TakenTender } from '@/state/cart';

const m = (n: number) => n as Minor;
const base: TenderContext = { due: m(10_000), taken: [], customer: { storeCredit: m(2_000) }, serverPoints: 5_000, pendingRedeemed: 0, deviceRedeemed: 0, offline: false, shiftOpen: true, offlineCardPending: m(0), config: SELLING };

describe('checkTender', () => {
  it('[SE2] only cash may exceed what is due; card, credit and points may not', () => {
    expect(checkTender('cash', m(20_000), base)).toBeNull();
    for (const k of ['card', 'store-credit', 'loyalty'] as const) expect(checkTender(k, m(10_001), base)).toMatchObject({ code: 'over-due' });
  });

  it('[SH1] cash needs an open shift on this register; card does not', () => {
    expect(checkTender('cash', m(100), { ...base, shiftOpen: false })).toEqual({ code: 'no-shift' });
    expect(checkTender('card', m(100), { ...base, shiftOpen: false })).toBeNull();
  });

  it('[SE2] store credit and points need a customer; credit stops at the balance less what the cart took', () => {
    expect(checkTender('store-credit', m(100), { ...base, customer: null })).toEqual({ code: 'needs-customer' });
    expect(checkTender('loyalty', m(100), { ...base, customer: null })).toEqual({ code: 'needs-customer' });
    expect(checkTender('store-credit', m(1_500), { ...base, taken: [{ id: 'a', kind: 'store-credit', amount: m(1_000) }] })).toEqual({ code: 'credit-short', balance: 1_000 });
  });

  it('[LO3] points: the last known balance minus this tablet\'s pending redemptions, at most the per-device cap', () => {
    expect(checkTender('loyalty', m(4_000), { ...base, pendingRedeemed: 1_500 })).toMatchObject({ code: 'points-short', points: 3_500, pending: 1_500 });
    expect(checkTender('loyalty', m(3_500), { ...base, pendingRedeemed: 1_500 })).toBeNull();
    const rich = { ...base, due: m(1e9), serverPoints: 1e9 };
    expect(checkTender('loyalty', m(SELLING.offlineRedeemCap + 1), rich)).toMatchObject({ code: 'points-short', points: SELLING.offlineRedeemCap });
  });

  it('[LO3] whatever was redeemed before, what the till allows never exceeds balance − pending, nor the cap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 1e6 }), (serverPoints, pendingRedeemed, deviceRedeemed) => {
        const p = redeemablePoints({ ...base, serverPoints, pendingRedeemed, deviceRedeemed: Math.max(deviceRedeemed, pendingRedeemed) });
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(Math.max(0, serverPoints - pendingRedeemed));
        expect(p).toBeLessThanOrEqual(SELLING.offlineRedeemCap);
      }),
    );
  });

  it('[LO3] one tablet offline never exceeds its cap, nor any customer\'s last known balance, however many sales try (property)', () => {
    const attempt = fc.record({ customer: fc.nat(3), amount: fc.integer({ min: 1, max: 400_000 }), split: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 4, maxLength: 4 }), fc.array(attempt, { maxLength: 40 }), (balances, attempts) => {
        // The outbox of one offline tablet: points redeemed per customer, none confirmed.
        const pending = new Map<number, number>();
        const device = () => [...pending.values()].reduce((s, x) => s + x, 0);
        for (const a of attempts) {
          const taken: TakenTender[] = [];
          // A sale may take points in two tenders: the second one sees the first in the cart.
          for (const amount of a.split ? [Math.ceil(a.amount / 2), Math.floor(a.amount / 2)] : [a.amount]) {
            if (amount <= 0) continue;
            const ctx: TenderContext = { ...base, due: m(1e9), taken, serverPoints: balances[a.customer]!, pendingRedeemed: pending.get(a.customer) ?? 0, deviceRedeemed: device(), offline: true };
            if (checkTender('loyalty', m(amount), ctx) === null) taken.push({ id: String(taken.length), kind: 'loyalty', amount: m(amount) });
          }
          const points = taken.reduce((s, t) => s + pointsForAmount(t.amount), 0);
          pending.set(a.customer, (pending.get(a.customer) ?? 0) + points);
          expect(device()).toBeLessThanOrEqual(SELLING.offlineRedeemCap);
          expect(pending.get(a.customer)!).toBeLessThanOrEqual(balances[a.customer]!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('[SE2] offline card is stored and forwarded within the per-payment and per-device limits', () => {
    const off = { ...base, due: m(1e7), offline: true };
    expect(checkTender('card', m(SELLING.offlineCardPerPayment + 1), off)).toEqual({ code: 'offline-card-payment', limit: SELLING.offlineCardPerPayment });
    expect(checkTender('card', m(SELLING.offlineCardPerPayment), off)).toBeNull();
    expect(checkTender('card', m(20_000), { ...off, offlineCardPending: m(SELLING.offlineCardPerDevice - 10_000) })).toEqual({ code: 'offline-card-device', left: 10_000 });
    expect(checkTender('card', m(SELLING.offlineCardPerPayment + 1), { ...off, offline: false })).toBeNull();
  });
});
