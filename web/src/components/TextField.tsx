import type { ComponentPropsWithRef } from 'react';
import { describedBy, FieldErrorText, FieldHint } from './field';

export interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'> {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  /** Shown after the label, e.g. "(optional)". */
  labelSuffix?: string;
}

export function TextField({
  id,
  label,
  hint,
  error,
  labelSuffix,
  className,
  ...input
}: TextFieldProps) {
  return (
    <div className={['field', error ? 'field--invalid' : '', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
        {labelSuffix ? <span className="field__optional"> {labelSuffix}</span> : null}
      </label>
      <FieldHint id={id}>{hint}</FieldHint>
      <FieldErrorText id={id}>{error}</FieldErrorText>
      <input
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </div>
  );
}
