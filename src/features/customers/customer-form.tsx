// Creating and editing a profile [CL3]: checks e-mail and phone (per the store's country) before
// saving, and warns of a probable duplicate (same e-mail or phone) before creating one.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useT, type MessageKey } from '@/i18n';
import { useProbableDuplicates, useThisStore } from '@/db/hooks/customers';
import type { CustomerAddress, CustomerRow } from '@/core/model';
import { customerCreate, type CustomerCreatePayload } from '@/core/customers/customer-create';
import { customerUpdate } from '@/core/customers/customer-update';
import type { ProfileChanges } from '@/core/customers/profile-edit';
import { contactError } from './contact-errors';
import { useCustomerCommand } from './use-customer-command';

type Contact = 'firstName' | 'lastName' | 'email' | 'phone';
const CONTACT: readonly Contact[] = ['firstName', 'lastName', 'email', 'phone'];
const typeOf = (f: Contact) => (f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text');

/** The duplicate warning: names linking to the other profiles. */
function DuplicateWarning({ dups }: { dups: { id: string; name: string }[] }) {
  const t = useT();
  const [before, after] = t('customers.duplicate', { names: '\u0000' }).split('\u0000');
  return (
    <p role="alert" className="warning">
      {before}
      {dups.map((d, i) => (
        <span key={d.id}>
          {i > 0 && ', '}
          <Link to={`/customers/${encodeURIComponent(d.id)}`}>{d.name}</Link>
        </span>
      ))}
      {after}
    </p>
  );
}

export function NewCustomerForm() {
  const t = useT();
  const navigate = useNavigate();
  const store = useThisStore();
  const [v, setV] = useState<Record<Contact, string>>({ firstName: '', lastName: '', email: '', phone: '' });
  const [consents, setConsents] = useState({ email: false, sms: false });
  const [problem, setProblem] = useState<string | null>(null);
  const [warned, setWarned] = useState(false);
  const dups = useProbableDuplicates({ email: v.email, phone: v.phone });
  const { run, error } = useCustomerCommand();

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (!v.firstName.trim() && !v.lastName.trim()) return setProblem(t('customers.err.name'));
    const bad = contactError(t, v.email, v.phone, store?.country ?? '');
    if (bad) return setProblem(bad);
    if (dups.length > 0 && !warned) return setWarned(true);
    let id = '';
    const profile: ProfileChanges = Object.fromEntries(Object.entries(v).filter(([, x]) => x.trim() !== ''));
    const given = Object.fromEntries(Object.entries(consents).filter(([, on]) => on));
    const ok = await run(customerCreate, (a): CustomerCreatePayload => ({ customerId: (id = a.newId()), profile, ...(Object.keys(given).length ? { consents: given } : {}) }));
    if (ok) navigate(`/customers/${encodeURIComponent(id)}`, { replace: true });
  }

  return (
    <section>
      <h1>{t('customers.new')}</h1>
      <form className="card form" onSubmit={(e) => void save(e)}>
        {CONTACT.map((f) => (
          <label key={f}>
            {t(`customers.${f}`)}
            <input
              value={v[f]}
              type={typeOf(f)}
              onChange={(e) => {
                setWarned(false);
                setV({ ...v, [f]: e.target.value });
              }}
            />
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={consents.email} onChange={(e) => setConsents({ ...consents, email: e.target.checked })} />
          {t('customers.consentEmail')}
        </label>
        <label className="check">
          <input type="checkbox" checked={consents.sms} onChange={(e) => setConsents({ ...consents, sms: e.target.checked })} />
          {t('customers.consentSms')}
        </label>
        {warned && dups.length > 0 && <DuplicateWarning dups={dups} />}
        {(problem ?? error) && (
          <p role="alert" className="error">
            {problem ?? error}
          </p>
        )}
        <button type="submit">{t('customers.save')}</button>
      </form>
    </section>
  );
}

const list = (s: string) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];
/** "Shoes 38, Tops M" → { Shoes: "38", Tops: "M" }: the last word of each part is the size. */
function parseSizes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of list(s)) {
    const m = /^(.*\S)\s+(\S+)$/.exec(part);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
const sizesText = (s: Record<string, string> | undefined) =>
  Object.entries(s ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

type Extra = 'birthday' | 'sizes' | 'brands' | 'colors' | 'street' | 'city' | 'postalCode' | 'country';

export function ProfileForm({ customer, country, onDone }: { customer: CustomerRow; country: string; onDone: (saved: boolean) => void }) {
  const t = useT();
  const address: CustomerAddress = customer.addresses?.[0] ?? { street: '', city: '', postalCode: '', country };
  const initial: Record<Contact | Extra, string> = {
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    phone: customer.phone,
    birthday: customer.birthday,
    sizes: sizesText(customer.sizes),
    brands: (customer.favoriteBrands ?? []).join(', '),
    colors: (customer.favoriteColors ?? []).join(', '),
    street: address.street,
    city: address.city,
    postalCode: address.postalCode,
    country: address.country,
  };
  const [v, setV] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [warned, setWarned] = useState(false);
  const changed = (f: Contact | Extra) => v[f].trim() !== initial[f].trim();
  const dups = useProbableDuplicates({ id: customer.id, email: changed('email') ? v.email : '', phone: changed('phone') ? v.phone : '' });
  const { run, error } = useCustomerCommand();

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (!v.firstName.trim() && !v.lastName.trim()) return setProblem(t('customers.err.name'));
    const bad = contactError(t, changed('email') ? v.email : undefined, changed('phone') ? v.phone : undefined, country);
    if (bad) return setProblem(bad);
    if (dups.length > 0 && !warned) return setWarned(true);
    const changes: ProfileChanges = {};
    for (const f of [...CONTACT, 'birthday'] as const) if (changed(f)) changes[f] = v[f].trim();
    if (changed('sizes')) changes.sizes = parseSizes(v.sizes);
    if (changed('brands')) changes.favoriteBrands = list(v.brands);
    if (changed('colors')) changes.favoriteColors = list(v.colors);
    if ((['street', 'city', 'postalCode', 'country'] as const).some(changed)) {
      changes.addresses = v.street.trim() || v.city.trim() ? [{ street: v.street.trim(), city: v.city.trim(), postalCode: v.postalCode.trim(), country: v.country.trim().toUpperCase() }] : [];
    }
    if (Object.keys(changes).length === 0) return onDone(false);
    if (await run(customerUpdate, { customerId: customer.id, changes })) onDone(true);
  }

  const field = (f: Contact | Extra, label: MessageKey, type = 'text', hint?: MessageKey) => (
    <label key={f}>
      {t(label)}
      <input
        value={v[f]}
        type={type}
        title={hint ? t(hint) : undefined}
        placeholder={hint ? t(hint) : undefined}
        onChange={(e) => {
          setWarned(false);
          setV({ ...v, [f]: e.target.value });
        }}
      />
    </label>
  );

  return (
    <form className="card form" onSubmit={(e) => void save(e)}>
      {CONTACT.map((f) => field(f, `customers.${f}`, typeOf(f)))}
      {field('birthday', 'customers.birthday', 'date')}
      {field('sizes', 'customers.sizes', 'text', 'customers.sizesHint')}
      {field('brands', 'customers.brands', 'text', 'customers.listHint')}
      {field('colors', 'customers.colors', 'text', 'customers.listHint')}
      <fieldset>
        <legend>{t('customers.address')}</legend>
        {field('street', 'customers.street')}
        {field('city', 'customers.city')}
        {field('postalCode', 'customers.postalCode')}
        {field('country', 'customers.country')}
      </fieldset>
      {warned && dups.length > 0 && <DuplicateWarning dups={dups} />}
      {(problem ?? error) && (
        <p role="alert" className="error">
          {problem ?? error}
        </p>
      )}
      <div className="inline">
        <button type="submit">{t('customers.save')}</button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {t('customers.cancel')}
        </button>
      </div>
    </form>
  );
}
