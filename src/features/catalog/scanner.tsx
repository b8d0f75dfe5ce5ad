// A hardware barcode scanner types fast digits then Enter, on any screen: open the scanned product.
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useServices } from '@/state/services';
import { findByBarcode } from '@/db/catalog';
import type { VariantRow } from '@/core/model';

/** Keys closer together than this are a scanner, not a person typing. */
const SCAN_GAP_MS = 50;

export interface ScannerProps {
  onUnknown: (code: string) => void;
  /** Handles a known code instead of opening its product (the till adds it to the cart); false: open it. */
  onFound?: (variant: VariantRow) => boolean | Promise<boolean>;
}

export function BarcodeScanner({ onUnknown, onFound }: ScannerProps) {
  const { db } = useServices();
  const navigate = useNavigate();
  // The listener is added once and reads the latest callbacks from a ref. Re-subscribing whenever
  // `navigate` changed (it does on every route change) dropped the keys typed so far: a scan that
  // began while the previous screen was still being replaced lost its first digit.
  const latest = useRef({ db, navigate, onUnknown, onFound });
  latest.current = { db, navigate, onUnknown, onFound };
  useEffect(() => {
    let buf = '';
    let last = 0;
    const onKey = (e: KeyboardEvent) => {
      // When the key was pressed, not when this handler got to run: a busy main thread (a page
      // rendering after the previous scan) delays handling, and must not split one scan in two.
      const now = e.timeStamp || performance.now();
      if (now - last > SCAN_GAP_MS) buf = '';
      last = now;
      if (e.key === 'Enter' && buf.length >= 8) {
        const code = buf;
        buf = '';
        e.preventDefault();
        const { db, navigate, onUnknown, onFound } = latest.current;
        void findByBarcode(db, code).then(async (v) => {
          if (!v) return onUnknown(code);
          if (onFound && (await onFound(v))) return;
          return navigate(`/products/${encodeURIComponent(v.productId)}?sku=${encodeURIComponent(v.sku)}`);
        });
        return;
      }
      if (/^\d$/.test(e.key)) buf += e.key;
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return null;
}
