// note.add: an associate adds a note to a customer's profile. Notes are append-only and signed, so
// notes written offline on several tablets all survive.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import { fail } from '../shared/errors';
import type { AssociateId, CustomerId } from '../shared/brand';
import { erasedMessage, isErased, resolveCustomer } from './redirects';

export const noteAddV1 = z.object({
  noteId: z.string().uuid(),
  customerId: z.string().min(1).max(64, 'A customer id is at most 64 characters'),
  text: z.string().trim().min(1, 'A note cannot be empty').max(2000, 'A note is at most 2,000 characters'),
});
export type NoteAddPayload = z.infer<typeof noteAddV1>;

export const noteAdd: CommandDef<NoteAddPayload> = {
  type: 'note.add',
  version: 1,
  schemas: { 1: noteAddV1 },
  roles: ['associate', 'cashier', 'manager'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    // [CL4] A note for a merged-away profile goes to the profile it was merged into.
    const customer = await resolveCustomer(b, p.customerId);
    if (!customer) {
      if (await isErased(b, p.customerId)) return fail('customer-erased', erasedMessage(p.customerId, 'this note was not kept'));
      return fail('unknown-customer', `There is no customer ${p.customerId}; save the profile before adding notes.`);
    }
    const author = await b.get('associates', cmd.actor);
    // [O3] Notes are append-only: an existing noteId is `id-taken`, never a rewrite of another's note.
    b.create('notes', {
      id: p.noteId,
      customerId: customer.id as CustomerId,
      text: p.text,
      author: cmd.actor as AssociateId,
      authorName: author?.name ?? cmd.actor,
      at: cmd.at,
    });
    b.summary = { noteId: p.noteId };
    return b.done();
  },
};
