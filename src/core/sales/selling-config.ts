// Selling limits (config defaults from domain.md [MO3], [SE2], [LO3], sync [T3]). One object so a
// chain's configuration can replace it whole; today every store runs the defaults.
import type { Minor } from '../shared/brand';

export interface SellingConfig {
  /** A discount above this share of an item's price needs a manager's approval [MO3] (basis points). */
  discountApprovalBp: number;
  /** The most a sale's discounts may take off, approved or not, on this device [T3] (minor units). */
  deviceDiscountCap: Minor;
  /** Offline card payments are stored and forwarded up to this amount each [SE2]. */
  offlineCardPerPayment: Minor;
  /** …and up to this amount in total on one device until the terminal is back online. */
  offlineCardPerDevice: Minor;
  /** A tablet redeems at most this many points in one sale without the server [LO3]. */
  offlineRedeemCap: number;
}

export const SELLING: SellingConfig = {
  discountApprovalBp: 2_000,
  deviceDiscountCap: 100_000 as Minor,
  offlineCardPerPayment: 25_000 as Minor,
  offlineCardPerDevice: 100_000 as Minor,
  offlineRedeemCap: 50_000,
};
