// Commands and refusal reasons in words, for screens that speak of what the server did with a change
// ([EX1] exceptions, [C4] Needs attention): never a command name or the server's own sentence.
import { en, type MessageKey } from './en';
import type { T } from './index';

/** Whether the catalogs have a message under `key`. */
export const hasMessage = (key: string): key is MessageKey => key in en;

/** A command type in words ("Sale", "Order handover"). */
export function commandWords(t: T, type: unknown): string {
  const key = `command.${typeof type === 'string' ? type : ''}`;
  return t(hasMessage(key) ? key : 'command.other');
}

/** A refusal's reason in words, from its code: the app's own sentence, or `fallback` when it has none. */
export function reasonWords(t: T, code: unknown, fallback?: string): string {
  const c = typeof code === 'string' ? code : '';
  for (const key of [`reason.${c}`, `error.${c}`, `pickup.err.${c}`]) if (hasMessage(key)) return t(key);
  return fallback ?? t('exceptions.reasonOther');
}
