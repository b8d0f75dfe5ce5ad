// The command registry: type → definition. Parsing validates the payload of the version it was made
// with and upcasts it to the current shape [C6].
import type { CommandDef, Command } from './command';
import type { Envelope } from './protocol';
import { DomainError } from '../shared/errors';
import '../shared/zod-messages';
import { saleComplete } from '../sales/sale-complete';
import { customerUpdate } from '../customers/customer-update';
import { noteAdd } from '../customers/note-add';
import { exceptionResolve } from '../exceptions/exception-resolve';
import { customerCreate } from '../customers/customer-create';
import { customerMerge } from '../customers/customer-merge';
import { receiptEmail } from '../sales/receipt-email';
import type { Hlc } from '../shared/hlc';
import { shiftOpen } from '../register/shift-open';
import { shiftCashMove } from '../register/shift-cash-move';
import { shiftClose } from '../register/shift-close';
import { orderPlace } from '../orders/order-place';
import { PICKUP_COMMANDS } from '../pickup/pickup-commands';
import { tierReview } from '../loyalty/tier-review';
import { pointsAdjust } from '../loyalty/points-adjust';
import { pointsExpire } from '../loyalty/points-expire';
import { customerErase, eraseRecords } from '../customers/customer-erase';
import { orderCreate } from '../orders/order-create';
import { orderSource } from '../orders/order-source';
import { returnCreate } from '../returns/return-create';
import { returnEmail } from '../returns/return-email';
import { orderSettleShare } from '../orders/order-settle-share';
import { orderReassignLine } from '../orders/order-reassign';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const defs: CommandDef<any>[] = [saleComplete, customerUpdate, noteAdd, exceptionResolve, customerCreate, customerMerge, receiptEmail];

// Register shifts [SH1]–[SH3], on a line of their own so other command families merge beside them.
defs.push(shiftOpen, shiftCashMove, shiftClose);

// Web orders [W1] and pickup transitions [PQ1].
defs.push(orderPlace, ...PICKUP_COMMANDS);

// Loyalty [LO1]: the server's daily tier review.
defs.push(tierReview);
// Managers' point adjustments and the server's expiry of old points [LO2].
defs.push(pointsAdjust, pointsExpire);

// Erasure at the customer's request [CL6].
defs.push(customerErase, eraseRecords);
// Ordering for a customer from the till [OR1] and its sourcing follow-up [OR2].
defs.push(orderCreate, orderSource, orderSettleShare);
// A short line found elsewhere [PQ1]: the server's sourcing follow-up of order.mark-short.
defs.push(orderReassignLine);
// Returns, including BORIS [RE1]–[RE8].
defs.push(returnCreate, returnEmail);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const COMMANDS: ReadonlyMap<string, CommandDef<any>> = new Map(defs.map((d) => [d.type, d]));

/** Validates an envelope's payload and returns the command in its current version. Throws DomainError. */
export function parseCommand(env: Envelope): { def: CommandDef<unknown>; command: Command } {
  const def = COMMANDS.get(env.type);
  if (!def) throw new DomainError('unknown-command', `This server does not know the command type "${env.type}"; update the server before this tablet syncs again.`);
  const schema = def.schemas[env.v];
  if (!schema) throw new DomainError('unknown-version', `${env.type} version ${env.v} is not one this server accepts (it knows ${Object.keys(def.schemas).join(', ')}).`);
  const parsed = schema.safeParse(env.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
    throw new DomainError('invalid-payload', `${env.type}: ${issue?.message ?? 'invalid payload'}${where}.`, parsed.error.issues);
  }
  const payload = env.v === def.version || !def.upcast ? parsed.data : def.upcast(env.v, parsed.data);
  return { def, command: { ...env, at: env.at as Hlc, payload } };
}
