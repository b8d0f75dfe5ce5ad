// Add/remove sets for tags, consents and wishlists [CL3]: each member keeps the HLC of the last add or
// remove, and the later one wins. Max by HLC is commutative, associative and idempotent, so tablets
// that apply the same operations in any order, any number of times, end with the same set.
import type { SetMember, SetState } from '../model';
import type { Hlc } from '../shared/hlc';

export interface SetOp {
  member: string;
  on: boolean;
  at: Hlc;
  source?: string;
  by?: string;
}

/** Whether `candidate` is newer than what the set knows of its member (HLCs are unique per event). */
const newer = (known: SetMember | undefined, at: Hlc) => known === undefined || at > known.at;

/** Applies one add or remove; returns the same object when it changes nothing. */
export function applySetOp(state: SetState | undefined, op: SetOp): SetState {
  const s = state ?? {};
  if (!newer(s[op.member], op.at)) return s;
  const m: SetMember = { on: op.on, at: op.at, ...(op.source ? { source: op.source } : {}), ...(op.by ? { by: op.by } : {}) };
  return { ...s, [op.member]: m };
}

/** Joins two replicas of a set: per member, the later write wins. */
export function mergeSets(a: SetState | undefined, b: SetState | undefined): SetState {
  const out: SetState = { ...(a ?? {}) };
  for (const [member, m] of Object.entries(b ?? {})) {
    if (newer(out[member], m.at)) out[member] = m;
  }
  return out;
}

/** Members currently in the set, sorted. */
export function members(state: SetState | undefined): string[] {
  return Object.entries(state ?? {})
    .filter(([, m]) => m.on)
    .map(([k]) => k)
    .sort();
}

export const has = (state: SetState | undefined, member: string): boolean => state?.[member]?.on === true;
