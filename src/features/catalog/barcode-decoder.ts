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
 * The fallback decoder: the `barcode-detector` package (a BarcodeDetector ponyfill on ZXing-C++
 * wasm). It is not a dependency yet, so the specifier is kept opaque to the bundler: until it is
 * installed the import fails and the dialog says this browser cannot scan.
 */
const FALLBACK_MODULE = 'barcode-detector/ponyfill';

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

async function fallbackDetector(load: (specifier: string) => Promise<unknown>): Promise<Detector | null> {
  try {
    const mod = (await load(FALLBACK_MODULE)) as { BarcodeDetector?: DetectorClass };
    return mod.BarcodeDetector ? new mod.BarcodeDetector({ formats: [...SCAN_FORMATS] }) : null;
  } catch {
    return null;
  }
}

/** A detector for the camera, or null when this browser has none (the caller says so). */
export async function createDetector(load: (specifier: string) => Promise<unknown> = (s) => import(/* @vite-ignore */ s)): Promise<Detector | null> {
  return (await nativeDetector()) ?? (await fallbackDetector(load));
}
