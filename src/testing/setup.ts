// Test setup: a real IndexedDB implementation in memory, and DOM matchers for component tests.
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
