// Points expiry [LO2]: lots by last valid day, debits oldest first, and an expiry that never takes
// spent points and never expires twice — checked against a model that keeps a queue of lots.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { dueToExpire, expiresAt, lotsOf, nextExpiry, validUntil, type TimedEntry } from './expiry';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 15, 0, 0);

describe('[LO2] when points stop being valid', () => {
  it('[LO2] points are valid through the end of the 12th month after the month they were earned', () => {
    expect(validUntil(Date.UTC(2026, 2, 15, 10))).toBe('2027-03-31');
    expect(validUntil(Date.UTC(2026, 11, 31, 23, 59))).toBe('2027-12-31');
    expect(validUntil(Date.UTC(2026, 0, 1, 0, 0))).toBe('2027-01-31');
    // A leap day's month ends on the 28th a year later.
    expect(validUntil(Date.UTC(2028, 1, 29, 12))).toBe('2029-02-28');
    expect(validUntil(Date.UTC(2026, 2, 15), 6)).toBe('2026-09-30');
    // They expire at the midnight (UTC) that ends that day.
    expect(new Date(expiresAt('2027-03-31')).toISOString()).toBe('2027-04-01T00:00:00.000Z');
  });

  it('[LO2] debits take the oldest points first, so a redemption uses the points that would expire soonest', () => {
    const entries: TimedEntry[] = [
      { id: 'a', amount: 300, at: T0 },
      { id: 'b', amount: 700, at: T0 + 60 * DAY },
      { id: 'r', amount: -200, at: T0 + 90 * DAY },
    ];
    expect(lotsOf(entries)).toEqual([
      { validUntil: '2027-01-31', points: 100 },
      { validUntil: '2027-03-31', points: 700 },
    ]);
    expect(nextExpiry(entries)).toEqual({ points: 100, on: '2027-01-31' });
    expect(dueToExpire(entries, expiresAt('2027-01-31') - 1).points).toBe(0);
    expect(dueToExpire(entries, expiresAt('2027-01-31'))).toEqual({ points: 100, lots: [{ validUntil: '2027-01-31', points: 100 }] });
    // Expired, the lot is gone: the next is the March one, and nothing more is due in January.
    const after = [...entries, { id: 'x', amount: -100, at: expiresAt('2027-01-31') }];
    expect(dueToExpire(after, expiresAt('2027-01-31') + DAY).points).toBe(0);
    expect(nextExpiry(after)).toEqual({ points: 700, on: '2027-03-31' });
  });

  it('[LO2] a balance below zero has nothing to expire; later points pay the debt first', () => {
    const entries: TimedEntry[] = [
      { id: 'a', amount: 100, at: T0 },
      { id: 'r', amount: -150, at: T0 + DAY },
      { id: 'b', amount: 100, at: T0 + 40 * DAY },
    ];
    expect(lotsOf(entries)).toEqual([{ validUntil: '2027-02-28', points: 50 }]);
    expect(dueToExpire(entries.slice(0, 2), T0 + 800 * DAY).points).toBe(0);
  });
});

type Op = { kind: 'earn' | 'redeem' | 'adjust' | 'job'; amount: number; days: number };

describe('[LO2] expiry against a model of lots', () => {
  it('[LO2] the scheduled expiry equals the model, never takes spent points, never expires twice, and every balance is the sum of its entries (adjust and expire included)', () => {
    const op: fc.Arbitrary<Op> = fc.record({
      kind: fc.constantFrom('earn', 'earn', 'redeem', 'adjust', 'job'),
      amount: fc.integer({ min: 1, max: 2_000 }),
      days: fc.integer({ min: 0, max: 90 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.boolean(), (ops, overdrafts) => {
        const entries: TimedEntry[] = [];
        // The model: a queue of lots (earned at, points left) and a debt that later points pay first.
        const queue: { at: number; points: number }[] = [];
        let debt = 0;
        let balance = 0;
        let now = T0;
        const debit = (n: number) => {
          let left = n;
          while (left > 0 && queue.length) {
            const take = Math.min(left, queue[0]!.points);
            queue[0]!.points -= take;
            left -= take;
            if (queue[0]!.points === 0) queue.shift();
          }
          debt += left;
        };
        const credit = (n: number) => {
          const paid = Math.min(debt, n);
          debt -= paid;
          if (n > paid) queue.push({ at: now, points: n - paid });
        };
        ops.forEach((o, i) => {
          now += o.days * DAY;
          const id = `e${i}`;
          if (o.kind === 'earn') {
            entries.push({ id, amount: o.amount, at: now });
            credit(o.amount);
            balance += o.amount;
          } else if (o.kind === 'redeem') {
            // Offline, two tablets may overdraw (LO3); otherwise a redemption takes what there is.
            const n = overdrafts ? o.amount : Math.min(o.amount, Math.max(0, balance));
            if (n === 0) return;
            entries.push({ id, amount: -n, at: now });
            debit(n);
            balance -= n;
          } else if (o.kind === 'adjust') {
            // A manager's adjustment either way, never below zero.
            const n = o.amount % 2 === 0 ? o.amount : -Math.min(o.amount, Math.max(0, balance));
            if (n === 0) return;
            entries.push({ id, amount: n, at: now });
            if (n > 0) credit(n);
            else debit(-n);
            balance += n;
          } else {
            const due = dueToExpire(entries, now);
            let expected = 0;
            while (queue.length && expiresAt(validUntil(queue[0]!.at)) <= now) expected += queue.shift()!.points;
            expect(due.points).toBe(expected);
            // Never spent points: at most what the customer still holds.
            expect(due.points).toBeLessThanOrEqual(Math.max(0, balance));
            if (due.points > 0) {
              entries.push({ id, amount: -due.points, at: now });
              balance -= due.points;
            }
            // A second run expires nothing.
            expect(dueToExpire(entries, now).points).toBe(0);
          }
          expect(entries.reduce((n, e) => n + e.amount, 0)).toBe(balance);
          // The lots left are the model's, and they never hold more than the balance.
          const lots = lotsOf(entries);
          const model = new Map<string, number>();
          for (const l of queue) model.set(validUntil(l.at), (model.get(validUntil(l.at)) ?? 0) + l.points);
          expect(lots).toEqual([...model].map(([day, points]) => ({ validUntil: day, points })));
          expect(lots.reduce((n, l) => n + l.points, 0)).toBeLessThanOrEqual(Math.max(0, balance));
          expect(nextExpiry(entries)?.on).toBe(queue[0] ? validUntil(queue[0].at) : undefined);
        });
      }),
    );
  });
});
