import { useEffect, useId, useRef, type MouseEvent } from 'react';
import type { FormError } from '../lib/forms';
import { pluralize } from '../lib/forms';

export interface FormErrorSummaryProps {
  errors: readonly FormError[];
  /** Changes on every failed submit, so focus moves to the summary each time. */
  attempt: number;
}

function focusField(event: MouseEvent<HTMLAnchorElement>, targetId: string) {
  const target = document.getElementById(targetId);
  if (!target) return;
  event.preventDefault();
  // A fieldset cannot take focus: go to its first input instead.
  const focusable =
    target instanceof HTMLFieldSetElement
      ? target.querySelector<HTMLElement>('input, select, textarea, button')
      : target;
  (focusable ?? target).focus();
  target.scrollIntoView({ block: 'center' });
}

/**
 * Lists what stops a form from being sent, each a link to its field, and takes focus after a failed
 * submit so keyboard and screen-reader users learn about the errors at once.
 */
export function FormErrorSummary({ errors, attempt }: FormErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
    // Focus on each new attempt only, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <h2 className="error-summary__title" id={titleId}>
        Please fix {pluralize(errors.length, 'problem')}
      </h2>
      <ul className="error-summary__list">
        {errors.map((error) => (
          <li key={`${error.field}:${error.targetId ?? ''}`}>
            {error.targetId ? (
              <a
                href={`#${error.targetId}`}
                onClick={(event) => focusField(event, error.targetId as string)}
              >
                {error.label ? `${error.label}: ` : ''}
                {error.message}
              </a>
            ) : (
              <span>{error.message}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
