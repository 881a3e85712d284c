import type { ReactNode } from 'react';

/**
 * A wide table's frame: on a phone it scrolls sideways instead of breaking the page. It can take
 * focus, so keyboard users can scroll it too, and is named like its table.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A focusable, named region is the accessible way to make an overflowing area scrollable.
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
