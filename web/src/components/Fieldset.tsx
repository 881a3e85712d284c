import type { ReactNode } from 'react';
import { describedBy, FieldErrorText, FieldHint } from './field';

export interface FieldsetProps {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}

/** Groups related inputs under a legend; errors about the group as a whole are shown here. */
export function Fieldset({ id, legend, hint, error, children }: FieldsetProps) {
  return (
    <fieldset
      id={id}
      className={['fieldset', error ? 'fieldset--invalid' : ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend className="fieldset__legend">{legend}</legend>
      <FieldHint id={id}>{hint}</FieldHint>
      <FieldErrorText id={id}>{error}</FieldErrorText>
      {children}
    </fieldset>
  );
}
