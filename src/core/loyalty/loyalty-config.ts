// Loyalty policy (config defaults from domain.md [LO2]). One object so a chain's configuration can
// replace it whole; today every store runs the defaults.

export interface LoyaltyConfig {
  /** [LO2] A manager's adjustment moves at most this many points, either way. */
  adjustLimit: number;
  /**
   * [LO2] Points stay valid until the end of the `expiryMonths`-th calendar month after the month
   * they were earned (earned 15 March 2026 → valid through 31 March 2027), then expire.
   */
  expiryMonths: number;
  /** Adjustments and expiries kept on the tablet's points history, newest first. */
  historyMax: number;
}

export const LOYALTY: LoyaltyConfig = {
  adjustLimit: 10_000,
  expiryMonths: 12,
  historyMax: 100,
};

/**
 * [LO2] Why a manager adjusts points: goodwill (a gesture), a purchase whose points are missing, a
 * correction of a mistake, points moved from a lost card, and a service failure (a late order, a
 * faulty repair). Stored as these words; screens translate them.
 */
export const ADJUST_REASONS = ['goodwill', 'missing-purchase', 'correction', 'lost-card', 'service-failure'] as const;
export type AdjustReason = (typeof ADJUST_REASONS)[number];
