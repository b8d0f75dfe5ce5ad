// Test setup: a real IndexedDB implementation in memory, and DOM matchers for component tests.
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';

// Tests enroll many tablets from one address within a minute: lift the server's per-address
// throttles for apps built from the environment (the throttle tests set their own limits).
process.env.ENROLL_PER_MINUTE ??= '100000';
process.env.AUTH_FAILURES_PER_MINUTE ??= '100000';
