// Contact validation [CL3]: an e-mail that can receive mail, and a phone number that is plausible for
// its country. A number typed without a country code is read in the store's country.

export type ContactProblem = 'email-format' | 'phone-format' | 'phone-length' | 'phone-country';

export type Checked = { ok: true; value: string } | { ok: false; problem: ContactProblem; detail?: string };

// Local part, @, a domain with at least one dot and a 2+ letter top-level domain; no spaces.
const EMAIL_RE = /^[^\s@"(),:;<>[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/i;

/** A trimmed, lower-case e-mail, or why it cannot be one. Empty means "no e-mail" and is fine. */
export function checkEmail(raw: string): Checked {
  const v = raw.trim().toLowerCase();
  if (v === '') return { ok: true, value: '' };
  if (v.length > 254 || !EMAIL_RE.test(v) || v.includes('..')) return { ok: false, problem: 'email-format' };
  return { ok: true, value: v };
}

/** National number lengths (digits after the country code) per country we sell in. */
interface PhonePlan {
  code: string;
  min: number;
  max: number;
  /** A national number starts so (e.g. Portugal: 2 landline, 9 mobile). */
  lead?: RegExp;
  example: string;
}

export const PHONE_PLANS: Readonly<Record<string, PhonePlan>> = {
  PT: { code: '351', min: 9, max: 9, lead: /^[29]/, example: '+351 912 345 678' },
  IT: { code: '39', min: 6, max: 11, lead: /^[03]/, example: '+39 345 123 4567' },
  BR: { code: '55', min: 10, max: 11, lead: /^[1-9][1-9]/, example: '+55 11 91234-5678' },
  ES: { code: '34', min: 9, max: 9, lead: /^[6789]/, example: '+34 612 345 678' },
  FR: { code: '33', min: 9, max: 9, lead: /^[1-9]/, example: '+33 6 12 34 56 78' },
  DE: { code: '49', min: 6, max: 13, example: '+49 151 23456789' },
  GB: { code: '44', min: 9, max: 10, example: '+44 7700 900123' },
  US: { code: '1', min: 10, max: 10, lead: /^[2-9]/, example: '+1 415 555 0100' },
};

const byCode = Object.entries(PHONE_PLANS).sort((a, b) => b[1].code.length - a[1].code.length);

/** Digits only: how phones are compared ("+351 912-345" and "351912345" are the same number). */
export const phoneDigits = (phone: string): string => phone.replace(/\D/g, '');

/**
 * A phone as "+<country code> <national number>", or why it cannot be one. With a leading + (or 00)
 * the country comes from the number; without, from `country` (the store's), dropping a trunk 0 where
 * that country uses one (Brazil, France, the UK, Germany). Empty means "no phone" and is fine.
 */
export function checkPhone(raw: string, country: string): Checked {
  const v = raw.trim();
  if (v === '') return { ok: true, value: '' };
  if (!/^(\+|00)?[0-9 ().-]+$/.test(v)) return { ok: false, problem: 'phone-format' };
  let digits = phoneDigits(v);
  // Digits typed before the national number (00, the country code, a trunk 0): dropped from the text.
  let skip = 0;
  let plan: [string, PhonePlan] | undefined;
  if (v.startsWith('+') || v.startsWith('00')) {
    if (v.startsWith('00')) {
      digits = digits.slice(2);
      skip = 2;
    }
    plan = byCode.find(([, p]) => digits.startsWith(p.code));
    if (!plan) {
      // A country we have no plan for: accept what E.164 allows (up to 15 digits).
      if (digits.length < 7 || digits.length > 15) return { ok: false, problem: 'phone-length' };
      return { ok: true, value: `+${digits}` };
    }
    digits = digits.slice(plan[1].code.length);
    skip += plan[1].code.length;
  } else {
    const home = PHONE_PLANS[country];
    if (!home) return { ok: false, problem: 'phone-country', detail: country };
    plan = [country, home];
    if (country !== 'PT' && country !== 'IT' && country !== 'ES' && country !== 'US' && digits.startsWith('0')) {
      digits = digits.slice(1);
      skip = 1;
    }
  }
  const [iso, p] = plan;
  if (digits.length < p.min || digits.length > p.max || (p.lead && !p.lead.test(digits))) {
    return { ok: false, problem: 'phone-length', detail: `${iso}: ${p.example}` };
  }
  return { ok: true, value: `+${p.code} ${nationalAsTyped(v, skip)}` };
}

/** The typed number after its first `skip` digits, keeping the person's grouping: "912 345 678". */
function nationalAsTyped(typed: string, skip: number): string {
  let i = 0;
  for (let seen = 0; i < typed.length && seen < skip; i++) if (/\d/.test(typed.charAt(i))) seen++;
  return typed
    .slice(i)
    .replace(/^[\s.)-]+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The sentence a handler refuses with, for tablets and server alike (screens use their own catalogs). */
export function contactMessage(c: Extract<Checked, { ok: false }>): string {
  switch (c.problem) {
    case 'email-format':
      return 'Email must look like name@example.com.';
    case 'phone-format':
      return 'Phone may hold only digits, spaces, dashes and brackets, optionally starting with +.';
    case 'phone-length':
      return c.detail ? `That phone number does not fit its country; write it like ${c.detail.split(': ')[1]}.` : 'That phone number is too short or too long.';
    case 'phone-country':
      return `Write the phone with its country code (e.g. +351 912 345 678): numbers of ${c.detail ?? 'this country'} are not known here.`;
  }
}
