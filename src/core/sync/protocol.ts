// Wire protocol between tablet and sync server: versioned, validated, discriminated by status [C1]–[P7].
import { z } from 'zod';
import type { StreamName, TableName } from '../model';

export const PROTOCOL_VERSION = 1;
export const MAX_PUSH_COMMANDS = 500;
export const MAX_PUSH_BYTES = 1024 * 1024;
export const MAX_PULL_LIMIT = 5000;

/** [C1] The command envelope, as made on the tablet. The payload is validated per type and version. */
export const envelopeSchema = z.object({
  id: z.string().uuid({ message: 'id must be a UUID made on the tablet' }),
  deviceId: z.string().min(1),
  seq: z.number().int().positive(),
  type: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, 'type looks like "sale.complete"'),
  v: z.number().int().positive(),
  at: z.string().regex(/^\d{15}-\d{5}-.+$/, 'at must be a hybrid-logical-clock timestamp'),
  actor: z.string().min(1),
  payload: z.unknown(),
  /** [T2] The sign-in the command was made under: proof that `actor` typed their PIN on this device. */
  signIn: z
    .object({
      id: z.string().uuid({ message: 'signIn.id must be a UUID' }),
      at: z.number().int().nonnegative(),
      mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'signIn.mac must be a base64url HMAC-SHA256'),
    })
    .strict()
    .optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const pushRequestSchema = z.object({
  deviceId: z.string().min(1),
  commands: z.array(envelopeSchema).max(MAX_PUSH_COMMANDS, `A push carries at most ${MAX_PUSH_COMMANDS} commands`),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * [D3][D6] An export file: the outbox under `deviceId`, and under `previous` the commands each earlier
 * enrollment of the same tablet still held, made before everything at the top level.
 */
export const importFileSchema = pushRequestSchema.extend({
  previous: z.array(pushRequestSchema).max(16, 'A file carries at most 16 earlier enrollments').optional(),
});
export type ImportFile = z.infer<typeof importFileSchema>;

export interface RaisedException {
  id: string;
  kind: string;
  message: string;
}

/** [C4] Per-command results. */
export type CommandResult =
  | { seq: number; id: string; status: 'applied'; summary: Record<string, unknown>; exceptions: RaisedException[] }
  | { seq: number; id: string; status: 'duplicate'; result: StoredResult }
  | { seq: number; id: string; status: 'rejected'; error: { code: string; message: string } };

export type StoredResult =
  | { status: 'applied'; summary: Record<string, unknown>; exceptions: RaisedException[] }
  | { status: 'rejected'; error: { code: string; message: string } };

export interface PushResponse {
  results: CommandResult[];
  /** Present when the server stopped at a gap [C3]: resend from this seq. */
  gap?: { expectedSeq: number };
  lastSeq: number;
}

export type Change =
  | { table: TableName; key: string; version: number; row: unknown }
  | { table: TableName; key: string; version: number; deleted: true };

export interface PullResponse {
  stream: StreamName;
  changes: Change[];
  /** The version the tablet's cursor moves to once this page is applied. */
  version: number;
  more: boolean;
  /** Rows in the stream after `after` (drives bootstrap progress) [P4]. */
  total: number;
}

export interface EnrollResponse {
  deviceId: string;
  deviceToken: string;
  storeId: string;
  storeCode: string;
  deviceCode: string;
  streams: StreamName[];
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface Poke {
  stream: StreamName;
  version: number;
}
