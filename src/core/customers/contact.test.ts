// Contact validation [CL3]: e-mail shape, and phone numbers per country.
import { describe, expect, it } from 'vitest';
import { checkEmail, checkPhone, phoneDigits } from './contact';

describe('[CL3] contact validation', () => {
  it('[CL3] accepts and lower-cases a plausible e-mail; refuses one that cannot receive mail', () => {
    expect(checkEmail('  Marcia.Oliveira@Gmail.com ')).toEqual({ ok: true, value: 'marcia.oliveira@gmail.com' });
    expect(checkEmail('')).toEqual({ ok: true, value: '' });
    for (const bad of ['marcia', 'marcia@', 'marcia@gmail', 'mar cia@gmail.com', 'a..b@gmail.com', '@gmail.com']) {
      expect(checkEmail(bad)).toMatchObject({ ok: false, problem: 'email-format' });
    }
  });

  it('[CL3] reads a number without country code in the store\'s country and writes it with one', () => {
    expect(checkPhone('912 345 678', 'PT')).toEqual({ ok: true, value: '+351 912 345 678' });
    expect(checkPhone('345  123 4567', 'IT')).toEqual({ ok: true, value: '+39 345 123 4567' });
    expect(checkPhone('(11) 91234-5678', 'BR')).toEqual({ ok: true, value: '+55 (11) 91234-5678' });
    expect(checkPhone('011 91234-5678', 'BR')).toEqual({ ok: true, value: '+55 11 91234-5678' });
  });

  it('[CL3] a number with its country code is checked against that country, wherever it is typed', () => {
    expect(checkPhone('+351 912 345 678', 'BR')).toEqual({ ok: true, value: '+351 912 345 678' });
    expect(checkPhone('00351912345678', 'IT')).toEqual({ ok: true, value: '+351 912345678' });
    expect(checkPhone('+351-912-345-678', 'PT')).toEqual({ ok: true, value: '+351 912-345-678' });
    expect(checkPhone('+351 912 345 67', 'PT')).toMatchObject({ ok: false, problem: 'phone-length' });
    expect(checkPhone('+351 512 345 678', 'PT')).toMatchObject({ ok: false, problem: 'phone-length' });
    expect(checkPhone('+55 11 1234', 'PT')).toMatchObject({ ok: false, problem: 'phone-length' });
    expect(checkPhone('+81 90 1234 5678', 'PT')).toEqual({ ok: true, value: '+819012345678' });
  });

  it('[CL3] refuses letters and numbers of a store country it has no plan for', () => {
    expect(checkPhone('91234abc', 'PT')).toMatchObject({ ok: false, problem: 'phone-format' });
    expect(checkPhone('912345678', 'XX')).toMatchObject({ ok: false, problem: 'phone-country' });
    expect(phoneDigits('+351 912-345 678')).toBe('351912345678');
  });
});
