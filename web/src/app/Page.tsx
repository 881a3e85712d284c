import { useEffect, useRef, type ReactNode } from 'react';

const APP_NAME = 'Rally Connect';

// The first page of a visit keeps the browser's own focus; later pages move it to their heading
// so screen-reader and keyboard users hear and start from the new page, as after a full load.
let firstPageShown = false;

export interface PageProps {
  /** The document title, before " · Rally Connect". */
  title: string;
  /** The page's only `<h1>`; defaults to the title. */
  heading?: ReactNode;
  /** A line under the heading. */
  lead?: ReactNode;
  /** Small text above the heading, e.g. "Step 1 of 2". */
  eyebrow?: string;
  narrow?: boolean;
  children?: ReactNode;
}

export function Page({ title, heading, lead, eyebrow, narrow = false, children }: PageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = title === APP_NAME ? APP_NAME : `${title} · ${APP_NAME}`;
  }, [title]);

  useEffect(() => {
    if (firstPageShown) headingRef.current?.focus();
    firstPageShown = true;
  }, []);

  return (
    <div className={['page', narrow ? 'page--narrow' : ''].filter(Boolean).join(' ')}>
      <div className="page__header">
        {eyebrow ? <p className="page__eyebrow">{eyebrow}</p> : null}
        <h1 className="page__title" tabIndex={-1} ref={headingRef}>
          {heading ?? title}
        </h1>
        {lead ? <p className="page__lead">{lead}</p> : null}
      </div>
      {children}
    </div>
  );
}
