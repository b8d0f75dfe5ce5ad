// Raising a manager exception from a handler: a row in the store stream plus an entry in the result [C5].
import type { EffectsBuilder, Command } from '../sync/command';
import type { ExceptionKind } from '../model';
import type { LocationId } from './brand';

export function raise(
  b: EffectsBuilder,
  cmd: Command,
  storeId: string,
  kind: ExceptionKind,
  message: string,
  details: Record<string, unknown>,
  discriminator = '',
): void {
  // Deterministic id: running the same command twice (tablet, then server; or a rebase) raises it once.
  const id = `${cmd.id}:${kind}${discriminator ? `:${discriminator}` : ''}`;
  b.put('exceptions', {
    id,
    storeId: storeId as LocationId,
    kind,
    message,
    details,
    raisedAt: cmd.at,
    commandId: cmd.id,
    by: cmd.actor,
  });
  b.exceptions.push({ id, kind, message });
}
