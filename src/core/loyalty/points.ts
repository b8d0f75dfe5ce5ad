// Loyalty earning and redemption rates (config defaults from domain.md).
import type { Minor } from '../shared/brand';

/** 1 point per whole currency unit spent, times the tier multiplier. */
export const TIER_MULTIPLIER: Record<string, number> = { '': 1, silver: 1, gold: 1.5, platinum: 2 };

export function pointsEarned(total: Minor, tier: string): number {
  const units = Math.floor(total / 100);
  return Math.floor(units * (TIER_MULTIPLIER[tier] ?? 1));
}

/** 100 points are worth one currency unit when redeemed. */
export const POINTS_PER_UNIT = 100;

/** Points a loyalty tender of `amount` minor units redeems (100 points = 1 unit = 100 minor units). */
export const pointsForAmount = (amount: Minor): number => Math.ceil((amount * POINTS_PER_UNIT) / 100);

/** The amount `points` are worth, in minor units. */
export const amountForPoints = (points: number): Minor => Math.floor((points * 100) / POINTS_PER_UNIT) as Minor;
