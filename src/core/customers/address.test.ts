// [OR1] A ship-to-home address a carrier can deliver to: postal codes checked per country.
import { describe, it, expect } from 'vitest';
import { checkAddress, shippingAddressSchema, POSTAL_PLANS } from './address';

const at = (country: string, postalCode: string) => checkAddress({ street: 'Rua Garrett 12', city: 'Lisboa', postalCode, country });

describe('checkAddress [OR1]', () => {
  it('[OR1] each country we sell in accepts its own example and refuses another country\'s shape', () => {
    for (const [c, plan] of Object.entries(POSTAL_PLANS)) expect(at(c, plan.example), c).toMatchObject({ ok: true });
    expect(at('PT', '12002')).toEqual({ ok: false, problem: 'postal-code', example: '1200-109' });
    expect(at('IT', '1200-109')).toMatchObject({ ok: false, problem: 'postal-code', example: '20121' });
    expect(at('US', 'SW1A 1AA')).toMatchObject({ ok: false, problem: 'postal-code' });
  });

  it('[OR1] trims, upper-cases the postal code and the country, and takes a generic code for other countries', () => {
    expect(checkAddress({ street: '  10 Downing   St ', city: ' London ', postalCode: ' sw1a 2aa ', country: 'gb' })).toEqual({ ok: true, value: { street: '10 Downing St', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' } });
    expect(at('NL', '1012 AB')).toMatchObject({ ok: true });
    expect(at('NL', '#')).toEqual({ ok: false, problem: 'postal-code' });
  });

  it('[OR1] a missing street, city or country is named', () => {
    expect(checkAddress({ street: ' ', city: 'Lisboa', postalCode: '1200-109', country: 'PT' })).toEqual({ ok: false, problem: 'street' });
    expect(checkAddress({ street: 'Rua A 1', city: '', postalCode: '1200-109', country: 'PT' })).toEqual({ ok: false, problem: 'city' });
    expect(checkAddress({ street: 'Rua A 1', city: 'Lisboa', postalCode: '1200-109', country: 'Portugal' })).toEqual({ ok: false, problem: 'country' });
  });

  it('[OR1] the payload schema says what is wrong in a sentence with the expected shape', () => {
    const r = shippingAddressSchema.safeParse({ street: 'Via Dante 1', city: 'Milano', postalCode: '2012', country: 'IT' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['postalCode'], message: 'The postal code does not fit IT: it looks like 20121' });
  });
});
