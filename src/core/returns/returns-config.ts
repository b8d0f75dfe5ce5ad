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
}

export const RETURNS: ReturnsConfig = {
  windowDays: 30,
  refundLimit: 50_000 as Minor,
  unseenStoreCreditOnly: true,
};
