// [PQ2] A new order's cue: which orders arrived since the queue was first shown, and a short chime
// through WebAudio (silent where the browser has no audio or has not been touched yet).
import { useEffect, useRef, useState } from 'react';

/** Two soft notes; any failure (no AudioContext, autoplay policy) is ignored: the visible cue stays. */
export function chime(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    [880, 1320].forEach((f, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.18 + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.18);
      osc.stop(ctx.currentTime + i * 0.18 + 0.32);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // No sound is no fault: the banner shows the order.
  }
}

/** Numbers of orders that appeared after the first render, cleared after `showMs`; chimes once per arrival. */
export function useNewOrderCue(ids: readonly { id: string; number: string }[] | undefined, showMs = 10_000): string[] {
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<string[]>([]);
  useEffect(() => {
    if (!ids) return;
    if (!seen.current) {
      seen.current = new Set(ids.map((o) => o.id));
      return;
    }
    const added = ids.filter((o) => !seen.current!.has(o.id));
    added.forEach((o) => seen.current!.add(o.id));
    if (added.length === 0) return;
    chime();
    setFresh((f) => [...f, ...added.map((o) => o.number)]);
    // Not cleared on the next change: a later arrival must not keep an earlier banner up forever.
    setTimeout(() => setFresh((f) => f.filter((n) => !added.some((o) => o.number === n))), showMs);
  }, [ids, showMs]);
  return fresh;
}
