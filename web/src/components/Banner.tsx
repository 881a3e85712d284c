import type { ReactNode } from 'react';

export type BannerTone = 'info' | 'success' | 'warning' | 'error';

export interface BannerProps {
  tone?: BannerTone;
  title?: string;
  children?: ReactNode;
  /** Buttons or links offered with the message (e.g. "Try again"). */
  actions?: ReactNode;
}

/** A message about the page; errors interrupt screen readers (`alert`), the rest wait (`status`). */
export function Banner({ tone = 'info', title, children, actions }: BannerProps) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title ? <p className="banner__title">{title}</p> : null}
      {children ? <div className="banner__body">{children}</div> : null}
      {actions ? <div className="banner__actions">{actions}</div> : null}
    </div>
  );
}
