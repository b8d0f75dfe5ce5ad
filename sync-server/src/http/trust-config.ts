// Trust settings of a server [T2][T4][T5]: demo or production mode, the admin credential, the PIN
// policy and the throttles. Read from the environment once at start; tests pass their own.
export type Mode = 'demo' | 'production';

export interface PinPolicy {
  /** Fewest digits a PIN may have, per role (a manager's PIN approves money). */
  minDigits: { associate: number; cashier: number; manager: number };
  /** PBKDF2-SHA256 iterations for new PINs: about 300 ms per sign-in on a tablet (decision 15). */
  iterations: number;
  /** Wrong PINs in a row before the associate is locked out, and for how long. */
  maxTries: number;
  lockMs: number;
}

export interface TrustConfig {
  mode: Mode;
  /** The admin API's bearer credential; undefined → the admin API answers 401 to everyone. */
  adminToken: string | undefined;
  pins: PinPolicy;
  /** Enrollment attempts per client address per minute [T4]. */
  enrollPerMinute: number;
  /** Failed authentications (token, signature, admin credential, PIN) per client address per minute [T4]. */
  authFailuresPerMinute: number;
  /** Lifetime of a one-time enrollment code [T4]. */
  enrollmentCodeTtlMs: number;
}

/** The demo's documented admin credential (README); refused in production mode. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';
/** PBKDF2-SHA256 iterations: OWASP's floor, about 300 ms per sign-in in Chromium here (decision 15). */
export const PIN_KDF_ITERATIONS = 600_000;

export function trustConfig(env: Record<string, string | undefined>): TrustConfig {
  const mode: Mode = env.VITRINE_MODE === 'production' ? 'production' : 'demo';
  const adminToken = env.ADMIN_TOKEN ?? (mode === 'demo' ? DEMO_ADMIN_TOKEN : undefined);
  if (mode === 'production' && adminToken !== undefined && (adminToken === DEMO_ADMIN_TOKEN || adminToken.length < 24)) {
    throw new Error('ADMIN_TOKEN must be a secret of at least 24 characters in production mode (not the demo one).');
  }
  const managerDigits = Number(env.PIN_MIN_DIGITS_MANAGER ?? (mode === 'demo' ? 4 : 6));
  const otherDigits = Number(env.PIN_MIN_DIGITS ?? 4);
  return {
    mode,
    adminToken,
    pins: {
      minDigits: { associate: otherDigits, cashier: otherDigits, manager: managerDigits },
      iterations: Number(env.PIN_KDF_ITERATIONS ?? PIN_KDF_ITERATIONS),
      maxTries: 5,
      lockMs: 5 * 60_000,
    },
    enrollPerMinute: Number(env.ENROLL_PER_MINUTE ?? 10),
    authFailuresPerMinute: Number(env.AUTH_FAILURES_PER_MINUTE ?? 20),
    enrollmentCodeTtlMs: 24 * 3600_000,
  };
}

/** The defaults tests build apps with: demo mode, generous throttles, a cheap KDF. */
export function testTrustConfig(over: Partial<TrustConfig> = {}): TrustConfig {
  return { ...trustConfig({}), enrollPerMinute: 1000, authFailuresPerMinute: 1000, ...over, pins: { ...trustConfig({}).pins, iterations: 1000, ...over.pins } };
}
