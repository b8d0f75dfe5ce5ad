// Device tokens [A2]: random 256-bit secrets; the server keeps only their SHA-256 (a slow KDF adds
// nothing for a secret with this much entropy, and would cost every request).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Store, DeviceRecord } from '../store/store';
import { HttpError } from './errors';

export const newToken = () => `vt_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function authenticate(store: Store, req: FastifyRequest): Promise<DeviceRecord> {
  const h = req.headers.authorization;
  const m = h ? /^Bearer (\S+)$/.exec(h) : null;
  if (!m) throw new HttpError(401, 'unauthenticated', 'Send the device token as "Authorization: Bearer <token>"; enroll the tablet to get one.');
  const device = await store.findDeviceByTokenHash(tokenHash(m[1]!));
  if (!device || device.revoked) throw new HttpError(401, 'device-revoked', 'This tablet is not enrolled (or was revoked). Export unsent commands, then enroll it again with a new code.');
  return device;
}

/** [A3] The streams a device may pull: the chain-wide ones and its own store's; [O2] `chain` holds chain-level exceptions. */
export const streamsFor = (storeId: string) => ['catalog', 'network', 'customers', `store:${storeId}`, 'chain'] as const;
