// A cart is rung once [SE3]: its sale goes in under the id the cart chose at checkout, and a second
// attempt (a double tap, a retry after a crash between the commit and the cart's own write) finds the
// first sale inside its own transaction, so two attempts can never both ring it.
import type { ReadTx } from '@/core/sync/command';

/** Thrown by the precheck when the cart's sale is already committed: it carries that sale's receipt. */
export class AlreadyRung extends Error {
  constructor(readonly receiptNo: string) {
    super(`This sale is already complete, with receipt ${receiptNo}.`);
    this.name = 'AlreadyRung';
  }
}

/** The dispatch precheck for a cart's sale: the sale row is among the command's first reads [O3]. */
export const notRungYet =
  (saleId: string) =>
  async (tx: ReadTx): Promise<void> => {
    const sale = await tx.get('sales', saleId);
    if (sale) throw new AlreadyRung(sale.receiptNo);
  };

/** A dispatch guarded by `notRungYet`: its result, or the AlreadyRung that carries the first receipt. */
export function orAlreadyRung<T>(dispatched: Promise<T>): Promise<T | AlreadyRung> {
  return dispatched.catch((e: unknown) => {
    if (e instanceof AlreadyRung) return e;
    throw e;
  });
}
