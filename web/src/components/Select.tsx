import type { ComponentPropsWithRef } from 'react';
import { describedBy, FieldErrorText, FieldHint } from './field';

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectProps extends Omit<ComponentPropsWithRef<'select'>, 'id'> {
  id: string;
  label: string;
  options: readonly SelectOption[];
  /** A first, empty choice such as "Choose a level"; the field is unanswered while it is selected. */
  placeholder?: string;
  hint?: string;
  error?: string;
}

export function Select({
  id,
  label,
  options,
  placeholder,
  hint,
  error,
  className,
  ...select
}: SelectProps) {
  return (
    <div className={['field', error ? 'field--invalid' : '', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <FieldHint id={id}>{hint}</FieldHint>
      <FieldErrorText id={id}>{error}</FieldErrorText>
      <select
        id={id}
        className="select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
