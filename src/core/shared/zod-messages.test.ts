import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import './zod-messages';
import { parseCommand } from '../sync/registry';

describe('zod messages in words', () => {
  it('a missing field says it is required and what to give; a mistyped one says what it must be', () => {
    const s = z.object({ phone: z.string().regex(/^\d+$/, 'Give digits'), qty: z.number().int() });
    const missing = s.safeParse({ qty: 1 });
    expect(missing.error?.issues[0]?.message).toBe('This is required (text)');
    expect(s.safeParse({ phone: '1', qty: 'two' }).error?.issues[0]?.message).toBe('This must be a number');
    expect(s.safeParse({ phone: null, qty: 1 }).error?.issues[0]?.message).toBe('This cannot be empty; give text');
    // A schema's own message still wins.
    expect(s.safeParse({ phone: 'abc', qty: 1 }).error?.issues[0]?.message).toBe('Give digits');
  });

  it('a command whose payload lacks a field is refused in words, not in zod\'s terms', () => {
    const env = { id: '0', deviceId: 'd', seq: 1, type: 'note.add', v: 1, at: '0', actor: 'a', payload: { noteId: '0190a0b0-0000-7000-8000-000000000001', text: 'hello' } };
    expect(() => parseCommand(env as never)).toThrow(/customerId.*required|required.*customerId/);
    expect(() => parseCommand(env as never)).not.toThrow(/Invalid input/);
  });
});
