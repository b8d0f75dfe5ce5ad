// Identifier generation with injected randomness and clock (UUIDv7: time-ordered, made on the tablet).
export type RandomBytes = (n: number) => Uint8Array;

export function uuidv7(nowMs: number, random: RandomBytes): string {
  const b = random(16);
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);

/** Receipt numbers are gapless per device: <storeCode>-<deviceCode>-<000123>. */
export const receiptNumber = (storeCode: string, deviceCode: string, n: number) =>
  `${storeCode}-${deviceCode}-${String(n).padStart(6, '0')}`;
