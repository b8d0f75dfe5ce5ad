// @vitest-environment jsdom
// The windowed list renders only the rows in view plus overscan, and follows scrolling.
import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import { VirtualList, windowOf } from './virtual-list';

afterEach(cleanup);

const rows = Array.from({ length: 5000 }, (_, i) => `row ${i}`);

describe('virtual list', () => {
  it('renders a window of rows, not all five thousand', () => {
    render(<VirtualList items={rows} rowHeight={50} height={500} overscan={4} itemKey={(r) => r} renderRow={(r) => <span>{r}</span>} label="Results" />);
    const items = screen.getAllByRole('listitem');
    // 10 rows fill 500 px, +1 partially visible, +4 overscan below.
    expect(items.length).toBe(15);
    expect(screen.getByText('row 0')).toBeInTheDocument();
    expect(screen.queryByText('row 200')).not.toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Results' })).toHaveStyle({ height: `${5000 * 50}px` });
  });

  it('shows the rows under the scroll position after scrolling', () => {
    const { container } = render(<VirtualList items={rows} rowHeight={50} height={500} overscan={2} itemKey={(r) => r} renderRow={(r) => <span>{r}</span>} />);
    const viewport = container.querySelector('.vlist')!;
    viewport.scrollTop = 200 * 50;
    fireEvent.scroll(viewport);
    expect(screen.getByText('row 200')).toBeInTheDocument();
    expect(screen.getByText('row 198')).toBeInTheDocument();
    expect(screen.queryByText('row 0')).not.toBeInTheDocument();
    expect(screen.getAllByRole('listitem').length).toBeLessThan(20);
  });

  it('computes the window from scroll position, viewport and overscan, clamped to the list', () => {
    expect(windowOf(100, 10, 0, 50, 3)).toEqual({ start: 0, end: 9 });
    expect(windowOf(100, 10, 500, 50, 3)).toEqual({ start: 47, end: 59 });
    expect(windowOf(100, 10, 990, 50, 3)).toEqual({ start: 96, end: 100 });
    expect(windowOf(0, 10, 0, 50, 3)).toEqual({ start: 0, end: 0 });
  });
});
