// A minimal test tablet over app.inject(): enrolls, builds command envelopes [C1] with its own seq and
// HLC, pushes and pulls. Also picks sellable SKUs from the seeded chain.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { encodeHlc } from '../../../src/core/shared/hlc';
import type { Envelope, EnrollResponse, PullResponse, PushResponse, ErrorBody } from '../../../src/core/sync/protocol';
import type { GeneratedChain } from '../../src/seed/generate';
import type { StockRow } from '../../../src/core/model';

export const MARTA = 'A-S01-MARTA'; // manager, PIN 1111
export const CARLOS = 'A-S01-CARLOS'; // cashier, PIN 2222
export const ANA = 'A-S01-ANA'; // associate, PIN 3333

export interface SaleLineIn {
  sku: string;
  qty: number;
  unitPrice: number;
}

export async function enroll(app: FastifyInstance, code = 'DEMO-S01', name = 'Till'): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code, name } });
}

export class TestTablet {
  seq = 0;
  receipts = 0;
  /** HLC wall time: starts at a fixed instant and moves forward by 1 ms per command. */
  wall: number;

  constructor(
    readonly app: FastifyInstance,
    readonly enrollment: EnrollResponse,
    wall = Date.UTC(2025, 5, 2, 9, 0, 0),
  ) {
    this.wall = wall;
  }

  static async enroll(app: FastifyInstance, name = 'Till', code = 'DEMO-S01'): Promise<TestTablet> {
    const r = await enroll(app, code, name);
    if (r.statusCode !== 200) throw new Error(`enroll failed: ${r.statusCode} ${r.body}`);
    return new TestTablet(app, r.json<EnrollResponse>());
  }

  get id(): string {
    return this.enrollment.deviceId;
  }

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.enrollment.deviceToken}` };
  }

  /** A command envelope with the next seq (or an explicit one) and a fresh HLC. */
  command(type: string, payload: unknown, opts: { actor?: string; seq?: number; v?: number; at?: { wall: number; counter?: number } } = {}): Envelope {
    const seq = opts.seq ?? ++this.seq;
    const at = opts.at ? encodeHlc({ wall: opts.at.wall, counter: opts.at.counter ?? 0, node: this.id }) : encodeHlc({ wall: ++this.wall, counter: 0, node: this.id });
    return { id: randomUUID(), deviceId: this.id, seq, type, v: opts.v ?? 1, at, actor: opts.actor ?? CARLOS, payload };
  }

  salePayload(lines: SaleLineIn[], extra: { storeId?: string; customerId?: string; tender?: number } = {}) {
    const total = lines.reduce((s, l) => s + l.qty * l.unitPrice, 0);
    this.receipts += 1;
    return {
      saleId: randomUUID(),
      storeId: extra.storeId ?? this.enrollment.storeId,
      receiptNo: `${this.enrollment.storeId}-${this.enrollment.deviceCode}-${String(this.receipts).padStart(6, '0')}`,
      currency: 'EUR',
      ...(extra.customerId ? { customerId: extra.customerId } : {}),
      lines,
      tenders: [{ kind: 'cash', amount: extra.tender ?? total }],
    };
  }

  sale(lines: SaleLineIn[], opts: { actor?: string; storeId?: string; customerId?: string; seq?: number } = {}): Envelope {
    return this.command('sale.complete', this.salePayload(lines, opts), opts);
  }

  async push(commands: unknown[], deviceId: string = this.id): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: this.auth, payload: { deviceId, commands } });
  }

  /** Pushes and expects a 200, returning the parsed body. */
  async pushOk(commands: unknown[]): Promise<PushResponse> {
    const r = await this.push(commands);
    if (r.statusCode !== 200) throw new Error(`push failed: ${r.statusCode} ${r.body}`);
    return r.json<PushResponse>();
  }

  async pull(stream: string, after = 0, limit?: number): Promise<LightMyRequestResponse> {
    const q = new URLSearchParams({ stream, after: String(after), ...(limit ? { limit: String(limit) } : {}) });
    return this.app.inject({ method: 'GET', url: `/api/v1/sync/pull?${q.toString()}`, headers: this.auth });
  }

  /** Pulls a whole stream from `after`, page by page. */
  async pullAll(stream: string, after = 0, limit = 1000): Promise<PullResponse['changes']> {
    const out: PullResponse['changes'] = [];
    let cursor = after;
    for (;;) {
      const r = await this.pull(stream, cursor, limit);
      if (r.statusCode !== 200) throw new Error(`pull failed: ${r.statusCode} ${r.body}`);
      const page = r.json<PullResponse>();
      out.push(...page.changes);
      cursor = page.version;
      if (!page.more) return out;
    }
  }
}

export const errorOf = (r: LightMyRequestResponse) => r.json<ErrorBody>().error;

/** S01 stock rows of the seeded chain with at least `min` available, with their EUR price. */
export function sellable(chain: GeneratedChain, min = 1, storeId = 'S01'): { stock: StockRow; unitPrice: number }[] {
  const price = new Map(chain.variants.map((v) => [v.sku as string, v.prices.EUR ?? 0]));
  return chain.stock
    .filter((s) => s.locationId === storeId && s.onHand - s.reserved >= min && (price.get(s.sku) ?? 0) > 0)
    .map((stock) => ({ stock, unitPrice: price.get(stock.sku)! }));
}
