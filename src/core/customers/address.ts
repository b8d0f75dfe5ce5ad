// Postal addresses [OR1]: a ship-to-home order needs one a carrier can deliver to. Checked per country
// like phones are (contact.ts): the countries we sell in have their postal code's shape; others
// take 2 to 11 letters, digits, spaces or dashes (the web channel's generic rule).
import { z } from 'zod';

export type AddressProblem = 'street' | 'city' | 'postal-code' | 'country';

interface PostalPlan {
  re: RegExp;
  example: string;
}

/** Postal code shapes of the countries we sell in (what a carrier's label accepts). */
export const POSTAL_PLANS: Readonly<Record<string, PostalPlan>> = {
  PT: { re: /^\d{4}-\d{3}$/, example: '1200-109' },
  IT: { re: /^\d{5}$/, example: '20121' },
  BR: { re: /^\d{5}-?\d{3}$/, example: '01310-100' },
  ES: { re: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: '28013' },
  FR: { re: /^\d{5}$/, example: '75001' },
  DE: { re: /^\d{5}$/, example: '10115' },
  GB: { re: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, example: 'SW1A 1AA' },
  US: { re: /^\d{5}(?:-\d{4})?$/, example: '94103' },
};

const GENERIC_POSTAL = /^[A-Z0-9][A-Z0-9 -]{1,10}$/;

export interface AddressInput {
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

export type CheckedAddress = { ok: true; value: AddressInput } | { ok: false; problem: AddressProblem; example?: string };

/** A trimmed address with its postal code in the country's form (upper case), or the first thing wrong with it. */
export function checkAddress(raw: AddressInput): CheckedAddress {
  const street = raw.street.trim().replace(/\s+/g, ' ');
  const city = raw.city.trim().replace(/\s+/g, ' ');
  const country = raw.country.trim().toUpperCase();
  const postalCode = raw.postalCode.trim().toUpperCase().replace(/\s+/g, ' ');
  if (street.length < 3 || street.length > 200) return { ok: false, problem: 'street' };
  if (city.length < 2 || city.length > 100) return { ok: false, problem: 'city' };
  if (!/^[A-Z]{2}$/.test(country)) return { ok: false, problem: 'country' };
  const plan = POSTAL_PLANS[country];
  if (!(plan ? plan.re : GENERIC_POSTAL).test(postalCode)) return { ok: false, problem: 'postal-code', ...(plan ? { example: plan.example } : {}) };
  return { ok: true, value: { street, city, postalCode, country } };
}

/** The same check as a zod schema, for command payloads: a sentence per problem. */
export const shippingAddressSchema = z
  .object({ street: z.string().max(200), city: z.string().max(100), postalCode: z.string().max(12), country: z.string().max(2) })
  .strict()
  .superRefine((a, ctx) => {
    const r = checkAddress(a);
    if (r.ok) return;
    const message = {
      street: 'Give the street and number (3 to 200 characters)',
      city: 'Give the city',
      country: 'The country is a two-letter code such as PT',
      'postal-code': r.example ? `The postal code does not fit ${a.country.toUpperCase()}: it looks like ${r.example}` : 'A postal code is 2 to 11 letters, digits, spaces or dashes',
    }[r.problem];
    ctx.addIssue({ code: 'custom', message, path: [r.problem === 'postal-code' ? 'postalCode' : r.problem] });
  });
