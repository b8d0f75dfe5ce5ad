// The web shop's channel API [W1][W2][O1]: place an order with an X-Api-Key, read its status and
// history; the OpenAPI document generated from the schemas that validate the requests; and the
// notification outbox's delivery round [W3].
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Store } from '../store/store';
import { HttpError } from './errors';
import { applyOriginInTx } from '../apply/origins';
import { deterministicId, type Clock } from '../apply/run';
import { webOrderSchema, webOrderAnswerSchema, errorSchema, type WebOrder } from '../../../src/core/orders/web-order';
import type { OrderPlacePayload } from '../../../src/core/orders/order-place';
import type { OrderRow, ReturnTallyRow } from '../../../src/core/model';
import { deliverNotifications, LogNotifier, noticesOf, type Notifier } from '../oms/notifier';
import { reassignOf, sharesOf } from '../../../src/core/pickup/order-state';

export interface ChannelDeps {
  store: Store;
  clock?: Clock;
  /** [W3] Where notices go; default logs and keeps them. */
  notifier?: Notifier;
  /** Period of the notification delivery round (ms); 0 or absent disables the timer (tests call deliverNotifications). */
  notifyIntervalMs?: number;
}

export const apiKeyHash = (key: string) => createHash('sha256').update(key).digest('hex');

/** The order id of a channel's externalId: deterministic, so a retry names the same order [O1]. */
export const webOrderId = (externalId: string) => deterministicId(`order:web:${externalId}`);

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** The order's number, and its code at the counter [PQ3]: W + 7 characters from the externalId's hash (no 0/O, 1/I). */
export function webOrderNumber(externalId: string): string {
  const h = createHash('sha256').update(`number:${externalId}`).digest();
  return `W${[...h.subarray(0, 7)].map((x) => NUMBER_ALPHABET[x % 32]).join('')}`;
}

/** [W1] The channel a request's X-Api-Key belongs to (keys are stored hashed, one channel each). */
async function channelOf(store: Store, req: FastifyRequest): Promise<string> {
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string' || key === '') throw new HttpError(401, 'missing-api-key', 'Send the channel\'s API key in the X-Api-Key header.');
  const row = await store.db.selectFrom('api_keys').select('channel').where('key_hash', '=', apiKeyHash(key)).executeTakeFirst();
  if (!row) throw new HttpError(401, 'invalid-api-key', 'That API key is unknown or was withdrawn; ask the chain\'s administrator for the channel\'s key.');
  return row.channel;
}

function invalid(issues: z.core.$ZodIssue[]): HttpError {
  const i = issues[0];
  const where = i?.path.length ? `${i.path.join('.')}: ` : '';
  return new HttpError(400, 'invalid-body', `The order is not valid: ${where}${i?.message ?? 'not understood'}. Nothing was stored.`, issues);
}

/**
 * [W2][RE5] What the channel sees of an order: its own history, then each return taken in a store
 * (the returned lines and the refund requested to the web payment), from the order's return tally.
 */
export function orderAnswer(o: OrderRow, returns?: ReturnTallyRow): z.infer<typeof webOrderAnswerSchema> {
  const events = (returns?.returns ?? []).flatMap((r) => [
    ...r.lines.map((l) => ({ kind: 'returned', at: r.at, sku: l.sku, qty: l.qty, storeId: r.storeId, returnNumber: r.number })),
    // Every refund of the return, with where it went: to the web payment (a refund request), or store credit, cash or a card in the store.
    ...r.refunds.map((f) => ({ kind: 'refund', at: r.at, amount: f.amount, to: f.kind, returnNumber: r.number })),
  ]);
  const webRefunds = returns?.refunded.web ?? 0;
  return {
    externalId: o.externalId ?? o.id,
    number: o.number,
    status: o.status,
    orderId: o.id,
    storeId: o.storeId,
    sourceId: o.sourceId ?? o.storeId,
    readyBy: o.readyBy,
    total: o.total,
    refunded: (o.refunded ?? 0) + webRefunds,
    history: [...(o.history ?? []).map((e) => ({ ...e })), ...events],
    lines: o.lines.map((l) => {
      const again = reassignOf(o, l.sku);
      const state = (o.shortSkus ?? []).includes(l.sku) ? 'short' : again?.state === 'sourcing' || again?.state === 'unsourceable' ? again.state : 'open';
      return { sku: l.sku, qty: l.qty, state, sourceIds: state === 'open' ? [...new Set(sharesOf(o, [l]).map((x) => x.locationId))] : [] };
    }),
    ...(returns ? { returned: o.lines.map((l, i) => ({ sku: l.sku, qty: l.qty, returned: returns.returned[i] ?? 0 })) } : {}),
  };
}

/** [W1] The same body (or the same externalId with other content) as a command payload: deterministic, so retries hash alike. */
export const placePayload = (body: WebOrder): OrderPlacePayload => ({ orderId: webOrderId(body.externalId), number: webOrderNumber(body.externalId), order: body });

export async function registerChannels(app: FastifyInstance, deps: ChannelDeps): Promise<void> {
  const { store } = deps;
  const clock = deps.clock ?? { now: () => Date.now() };

  app.post('/api/v1/channels/:channel/orders', async (req, reply) => {
    const channel = await channelOf(store, req);
    const { channel: named } = req.params as { channel: string };
    if (named !== channel) throw new HttpError(403, 'wrong-channel', `This API key belongs to the ${channel} channel, not ${named}.`);
    const parsed = webOrderSchema.safeParse(req.body);
    if (!parsed.success) throw invalid(parsed.error.issues);
    const payload = placePayload(parsed.data);
    const res = await store.transaction(async (tx) => {
      const r = await applyOriginInTx(tx, { kind: 'channel', channel, key: parsed.data.externalId }, { type: 'order.place', payload }, clock.now());
      // Nothing is stored for an order the handler refuses: throwing rolls the transaction back.
      if (r.result.status === 'rejected') throw new HttpError(422, r.result.error.code, `${r.result.error.message} Nothing was stored.`);
      return { status: r.status, order: await tx.get('orders', payload.orderId) };
    });
    if (!res.order) throw new HttpError(500, 'server-fault', 'The order was accepted but could not be read back; ask for its status.');
    return reply.status(res.status === 'duplicate' ? 200 : 201).send(orderAnswer(res.order));
  });

  app.get('/api/v1/channels/:channel/orders/:externalId', async (req) => {
    const channel = await channelOf(store, req);
    const { channel: named, externalId } = req.params as { channel: string; externalId: string };
    if (named !== channel) throw new HttpError(403, 'wrong-channel', `This API key belongs to the ${channel} channel, not ${named}.`);
    const [order, returns] = await store.transaction((tx) => Promise.all([tx.get('orders', webOrderId(externalId)), tx.get('returnTallies', webOrderId(externalId))]));
    if (!order || order.channel !== 'web') throw new HttpError(404, 'unknown-order', `There is no order ${externalId} from this channel.`);
    return { ...orderAnswer(order, returns), notices: await noticesOf(store, order.id) };
  });

  app.get('/api/v1/openapi.json', async () => channelOpenApi());

  const notifier = deps.notifier ?? new LogNotifier((m) => app.log.info(m));
  if (deps.notifyIntervalMs && deps.notifyIntervalMs > 0) {
    let running: Promise<unknown> | undefined;
    const round = () => {
      if (running) return;
      running = deliverNotifications(store, notifier, clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'notification delivery failed'))
        .finally(() => {
          running = undefined;
        });
    };
    const timer = setInterval(round, deps.notifyIntervalMs);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  }
}

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** [W1] The channel API as OpenAPI 3.1, its schemas generated from the validators themselves. */
export function channelOpenApi() {
  const err = (description: string) => ({ description, content: { 'application/json': { schema: json(errorSchema) } } });
  const key = [{ apiKey: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'Vitrine channel API', version: '1', description: 'Web-shop orders: place one (idempotent on externalId) and read its status and history.' },
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    paths: {
      '/api/v1/channels/web/orders': {
        post: {
          summary: 'Place an order',
          security: key,
          requestBody: { required: true, content: { 'application/json': { schema: json(webOrderSchema) } } },
          responses: {
            '201': { description: 'Placed', content: { 'application/json': { schema: json(webOrderAnswerSchema) } } },
            '200': { description: 'The same order was placed before with the same body', content: { 'application/json': { schema: json(webOrderAnswerSchema) } } },
            '400': err('The body is not valid (amounts that do not add up, a bad address); nothing was stored'),
            '401': err('Missing or unknown API key'),
            '409': err('The externalId was used for a different order'),
            '422': err('An unknown SKU or store; nothing was stored'),
          },
        },
      },
      '/api/v1/channels/web/orders/{externalId}': {
        get: {
          summary: 'Status and history of an order',
          security: key,
          parameters: [{ name: 'externalId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The order', content: { 'application/json': { schema: json(webOrderAnswerSchema) } } }, '401': err('Missing or unknown API key'), '404': err('No such order') },
        },
      },
    },
  };
}
