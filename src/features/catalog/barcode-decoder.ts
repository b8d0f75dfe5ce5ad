// Camera barcode decoding: the browser's BarcodeDetector when it has one, else a JS/wasm decoder loaded on demand.

/** Retail codes on labels and packaging. */
export const SCAN_FORMATS = ['ean_13', 'upc_a', 'ean_8', 'code_128'] as const;

export interface DetectedCode {
  rawValue: string;
  format: string;
}

export interface Detector {
  detect(source: HTMLVideoElement): Promise<DetectedCode[]>;
}

interface DetectorClass {
  new (opts: { formats: string[] }): Detector;
  getSupportedFormats?: () => Promise<string[]>;
}

/**
 * The fallback decoder: the `barcode-detector` ponyfill (ZXing-C++ compiled to wasm), loaded only
 * when the browser has no BarcodeDetector. Its wasm is served by us and precached by the service
 * worker — never fetched from a CDN — so camera scanning works offline too.
 */
async function loadFallback(): Promise<{ BarcodeDetector?: DetectorClass }> {
  const [ponyfill, wasm] = await Promise.all([import('barcode-detector/ponyfill'), import('zxing-wasm/reader/zxing_reader.wasm?url')]);
  ponyfill.prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasm.default : prefix + path) },
  });
  return { BarcodeDetector: ponyfill.BarcodeDetector as unknown as DetectorClass };
}

async function nativeDetector(): Promise<Detector | null> {
  const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    const supported = (await Native.getSupportedFormats?.()) ?? [...SCAN_FORMATS];
    const formats = SCAN_FORMATS.filter((f) => supported.includes(f));
    return formats.length > 0 ? new Native({ formats }) : null;
  } catch {
    return null;
  }
}

async function fallbackDetector(load: () => Promise<{ BarcodeDetector?: DetectorClass }>): Promise<Detector | null> {
  try {
    const mod = await load();
    return mod.BarcodeDetector ? new mod.BarcodeDetector({ formats: [...SCAN_FORMATS] }) : null;
  } catch {
    return null;
  }
}

/** A detector for the camera, or null when this browser has none (the caller says so). */
export async function createDetector(load: () => Promise<{ BarcodeDetector?: DetectorClass }> = loadFallback): Promise<Detector | null> {
  return (await nativeDetector()) ?? (await fallbackDetector(load));
}
