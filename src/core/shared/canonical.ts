// Canonical JSON (sorted keys, no whitespace): the same value always serialises to the same text,
// so a payload hash means the same thing on the tablet and on the server.
// Written as loops over one growing string: the server hashes every pushed command with it, and the
// map/filter/join version allocated an array per object and per key (decision 80).
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole in a sparse array serialises as nothing, as Array.prototype.join leaves it.
      if (i in value) out += canonicalJson(value[i]);
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += first ? JSON.stringify(k) : ',' + JSON.stringify(k);
    out += ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
}
