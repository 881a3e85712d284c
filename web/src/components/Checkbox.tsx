import type { InputHTMLAttributes, ReactNode } from 'react';

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> {
  id: string;
  label: string;
  /** Revealed under the checkbox while it is checked (e.g. follow-up questions). */
  children?: ReactNode;
}

export function Checkbox({ id, label, children, checked, ...input }: CheckboxProps) {
  return (
    <div className="choice">
      <div className="choice__row">
        <input id={id} type="checkbox" className="choice__input" checked={checked} {...input} />
        <label className="choice__label" htmlFor={id}>
          {label}
        </label>
      </div>
      {checked && children ? <div className="choice__reveal">{children}</div> : null}
    </div>
  );
}
