/** Ids of the hint and error texts of a field, joined for `aria-describedby`. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function FieldHint({ id, children }: { id: string; children?: string }) {
  if (!children) return null;
  return (
    <p id={`${id}-hint`} className="field__hint">
      {children}
    </p>
  );
}

/** The error text of a field; the hidden prefix tells screen-reader users it is an error. */
export function FieldErrorText({ id, children }: { id: string; children?: string }) {
  if (!children) return null;
  return (
    <p id={`${id}-error`} className="field__error">
      <span className="visually-hidden">Error: </span>
      {children}
    </p>
  );
}
