// A tiny windowed list: fixed row height, only the rows in view (plus overscan) are in the DOM.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Every row is exactly this tall (px): what makes windowing a division. */
  rowHeight: number;
  /** Viewport height (px) used until the element can be measured. */
  height: number;
  /** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
  overscan?: number;
  itemKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  label?: string;
  className?: string;
}

/** The first and last (exclusive) row indexes to render for a scroll position. */
export function windowOf(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan: number): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + visible + overscan) };
}

export function VirtualList<T>({ items, rowHeight, height, overscan = 6, itemKey, renderRow, label, className }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight > 0 ? el.clientHeight : height);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [height]);

  // New results start at the top.
  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setScrollTop(0);
  }, [items]);

  const { start, end } = windowOf(items.length, rowHeight, scrollTop, viewport, overscan);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const item = items[i] as T;
    rows.push(
      <li key={itemKey(item)} style={{ position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }} aria-setsize={items.length} aria-posinset={i + 1}>
        {renderRow(item, i)}
      </li>,
    );
  }
  return (
    <div ref={ref} className={`vlist ${className ?? ''}`} style={{ height, overflowY: 'auto', position: 'relative' }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul aria-label={label} style={{ height: items.length * rowHeight, position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
        {rows}
      </ul>
    </div>
  );
}
