// What a screen says when a command it dispatched was not saved: the rule's own sentence for a
// domain refusal, a storage alarm for a full disk [D2] (also raised in the status bar), else the
// generic message with the error's text. The transaction aborted whole in every case, so nothing was
// half written.
import { useCallback } from 'react';
import { isQuotaError } from '@/db/storage';
import { DomainError } from '@/core/shared/errors';
import { useT, byCode } from '@/i18n';
import { useServices } from './services';

export function useSaveError(): (err: unknown, fullMessage?: string) => string {
  const t = useT();
  const { engine } = useServices();
  return useCallback(
    (err: unknown, fullMessage?: string) => {
      if (isQuotaError(err)) {
        engine.reportStorageFull();
        return fullMessage ?? t('save.storageFull');
      }
      if (err instanceof DomainError) return byCode(t, 'error', err.code, err.message);
      return t('error.generic', { message: String(err) });
    },
    [engine, t],
  );
}
