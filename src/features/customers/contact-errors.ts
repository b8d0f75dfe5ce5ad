// Contact checks before dispatch [CL3], in the associate's language (the handler checks again).
import { checkEmail, checkPhone, type Checked } from '@/core/customers/contact';
import type { T } from '@/i18n';

type Problem = Extract<Checked, { ok: false }>;

export function problemText(t: T, p: Problem): string {
  switch (p.problem) {
    case 'email-format':
      return t('customers.err.email-format');
    case 'phone-format':
      return t('customers.err.phone-format');
    case 'phone-length':
      return t('customers.err.phone-length', { example: p.detail?.split(': ')[1] ?? '' });
    case 'phone-country':
      return t('customers.err.phone-country');
  }
}

/** The first problem with the e-mail and phone typed, in words, or null. */
export function contactError(t: T, email: string | undefined, phone: string | undefined, country: string): string | null {
  if (email !== undefined) {
    const c = checkEmail(email);
    if (!c.ok) return problemText(t, c);
  }
  if (phone !== undefined) {
    const c = checkPhone(phone, country);
    if (!c.ok) return problemText(t, c);
  }
  return null;
}
