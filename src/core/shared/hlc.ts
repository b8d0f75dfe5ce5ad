// Hybrid logical clock: timestamps that order events across devices even when wall clocks are skewed.
// Encoded as fixed-width strings so that string order is causal order:
//   <wall ms, 15 digits>-<counter, 5 digits>-<node id>
export type Hlc = string & { readonly __hlc: true };

export interface HlcState {
  wall: number;
  counter: number;
  node: string;
}

export function encodeHlc(s: HlcState): Hlc {
  return `${String(s.wall).padStart(15, '0')}-${String(s.counter).padStart(5, '0')}-${s.node}` as Hlc;
}

export function decodeHlc(h: string): HlcState {
  const m = /^(\d{15})-(\d{5})-(.+)$/.exec(h);
  if (!m) throw new Error(`Not a hybrid-logical-clock timestamp: ${h}`);
  return { wall: Number(m[1]), counter: Number(m[2]), node: m[3]! };
}

export const isHlc = (h: string): h is Hlc => /^\d{15}-\d{5}-.+$/.test(h);

/** Advances the clock for a local event. `now` is injected: the core never reads the clock itself. */
export function tick(prev: HlcState, now: number): HlcState {
  if (now > prev.wall) return { wall: now, counter: 0, node: prev.node };
  return { wall: prev.wall, counter: prev.counter + 1, node: prev.node };
}

/** Merges a remote timestamp into the local clock (on receive), so later local events sort after it. */
export function receive(prev: HlcState, remote: Hlc, now: number): HlcState {
  const r = decodeHlc(remote);
  const wall = Math.max(prev.wall, r.wall, now);
  let counter = 0;
  if (wall === prev.wall && wall === r.wall) counter = Math.max(prev.counter, r.counter) + 1;
  else if (wall === prev.wall) counter = prev.counter + 1;
  else if (wall === r.wall) counter = r.counter + 1;
  return { wall, counter, node: prev.node };
}

export const hlcMax = (a: Hlc | undefined, b: Hlc | undefined): Hlc | undefined =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;
