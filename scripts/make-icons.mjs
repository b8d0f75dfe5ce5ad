// Draws the app icons (a white "V" showcase on navy) as PNGs into public/. Run: node scripts/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};

function icon(size, safe) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const pad = safe ? 0.2 : 0.12;
  const distToSeg = (px, py, ax, ay, bx, by) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
  };
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const u = x / size, v = y / size;
      const r = safe ? 0 : 0.18; // rounded corners for the plain icon
      const cx = Math.min(Math.max(u, r), 1 - r), cy = Math.min(Math.max(v, r), 1 - r);
      const inside = Math.hypot(u - cx, v - cy) <= r;
      const w = 0.075;
      const a = pad + 0.08, b = 1 - pad - 0.08, top = pad + 0.12, bottom = 1 - pad - 0.1;
      const onV = distToSeg(u, v, a, top, 0.5, bottom) < w || distToSeg(u, v, b, top, 0.5, bottom) < w;
      const shelf = v > bottom + 0.04 && v < bottom + 0.07 && u > pad + 0.05 && u < 1 - pad - 0.05;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      let c = inside ? [31, 58, 95, 255] : [0, 0, 0, 0];
      if (inside && (onV || shelf)) c = onV ? [246, 244, 239, 255] : [226, 178, 89, 255];
      raw[o] = c[0]; raw[o + 1] = c[1]; raw[o + 2] = c[2]; raw[o + 3] = c[3];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

writeFileSync('public/icon-192.png', icon(192, false));
writeFileSync('public/icon-512.png', icon(512, false));
writeFileSync('public/icon-maskable-512.png', icon(512, true));
console.log('icons written to public/');
