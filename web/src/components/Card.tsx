import type { ReactNode } from 'react';

export interface CardProps {
  title?: string;
  /** The heading level of the title, to keep the page outline right. */
  headingLevel?: 2 | 3;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}

export function Card({ title, headingLevel = 2, actions, children, className }: CardProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={['card', className].filter(Boolean).join(' ')}>
      {title ? <Heading className="card__title">{title}</Heading> : null}
      <div className="card__body">{children}</div>
      {actions ? <div className="card__actions">{actions}</div> : null}
    </section>
  );
}
