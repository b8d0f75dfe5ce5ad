// `node scripts/measure-kdf.mjs`: measures PBKDF2-SHA256 (WebCrypto) in Chromium at a few iteration counts: median of 15 runs each.
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.route('http://127.0.0.1:9/**', (r) => r.fulfill({ body: '<!doctype html><title>kdf</title>', contentType: 'text/html' }));
await page.goto('http://127.0.0.1:9/');
const out = await page.evaluate(async (counts) => {
  const res = {};
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('123456'), 'PBKDF2', false, ['deriveBits']);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  for (const iterations of counts) {
    const times = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    res[iterations] = { median: Math.round(times[7]), min: Math.round(times[0]), max: Math.round(times[14]) };
  }
  return res;
}, [100000, 200000, 300000, 400000, 600000]);
console.log(JSON.stringify(out));
console.log(await browser.version(), (await import('node:os')).cpus()[0].model);
await browser.close();
