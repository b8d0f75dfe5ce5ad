// "Scan with camera": a dialog showing the rear camera, decoding retail barcodes until one is read.
import { useEffect, useRef, useState } from 'react';
import { useT } from '@/i18n';
import { createDetector } from './barcode-decoder';

/** Frames are decoded at most this often: enough for a steady hand, light on a tablet's CPU. */
const DECODE_EVERY_MS = 150;

export function CameraScanDialog({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The camera starts once per opening: the latest callbacks are read through refs, not deps.
  const latest = useRef({ t, onCode });
  useEffect(() => {
    latest.current = { t, onCode };
  });

  useEffect(() => {
    const { t } = latest.current;
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    void (async () => {
      const detector = await createDetector();
      if (stopped) return;
      if (!detector || !navigator.mediaDevices?.getUserMedia) {
        setProblem(t('products.scanUnsupported'));
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (e) {
        if (!stopped) setProblem(t('products.cameraError', { message: e instanceof Error ? e.message : String(e) }));
        return;
      }
      if (stopped) return stop();
      const el = video.current;
      if (!el) return stop();
      el.srcObject = stream;
      await el.play().catch(() => undefined);
      const tick = async () => {
        if (stopped) return;
        try {
          if (el.readyState >= 2) {
            const [first] = await detector.detect(el);
            if (first?.rawValue && !stopped) {
              stop();
              latest.current.onCode(first.rawValue);
              return;
            }
          }
        } catch {
          /* a frame that cannot be decoded: try the next one */
        }
        timer = setTimeout(() => void tick(), DECODE_EVERY_MS);
      };
      void tick();
    })();
    return stop;
  }, []);

  return (
    <div role="dialog" aria-modal="true" aria-label={t('products.scan')} className="scan-dialog">
      <div className="card">
        <h2>{t('products.scan')}</h2>
        {problem ? <p role="alert">{problem}</p> : <p className="muted">{t('products.scanHint')}</p>}
        {!problem && <video ref={video} muted playsInline className="scan-video" />}
        <button type="button" className="secondary" onClick={onClose}>
          {t('products.close')}
        </button>
      </div>
    </div>
  );
}
