import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './index';

describe('formatDuration', () => {
  it('[MO1] a due time reads with the language own plural, never "1 ore" or "1 dias"', () => {
    expect(formatDuration('it', 60)).toBe('1 ora');
    expect(formatDuration('it', 180)).toBe('3 ore');
    expect(formatDuration('pt-BR', 1440)).toBe('1 dia');
    expect(formatDuration('pt-BR', 3 * 1440)).toBe('3 dias');
    expect(formatDuration('en', 1)).toBe('1 minute');
    expect(formatDuration('en', 45)).toBe('45 minutes');
  });

  it('picks minutes under an hour, hours under a day, then whole days', () => {
    expect(formatDuration('en', 59)).toBe('59 minutes');
    expect(formatDuration('en', 119)).toBe('1 hour');
    expect(formatDuration('en', 1439)).toBe('23 hours');
    expect(formatDuration('en', 2 * 1440 + 600)).toBe('2 days');
    expect(formatDuration('en', -5)).toBe('0 minutes');
  });
});

describe('formatBytes', () => {
  it('[MO1] the storage line reads in the unit a person expects and the language\'s own digits', () => {
    expect(formatBytes('en', 3_900_000)).toBe('3.9 MB');
    expect(formatBytes('en', 10_741_000_000)).toBe('11 GB');
    expect(formatBytes('en', 950_000)).toBe('950 kB');
    expect(formatBytes('pt-BR', 3_900_000)).toBe('3,9 MB');
    expect(formatBytes('it', 2_500_000_000)).toBe('2,5 GB');
  });
});
