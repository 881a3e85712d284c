import { describedBy, FieldErrorText, FieldHint } from './field';

export interface RadioOption<V extends string> {
  value: V;
  label: string;
  description?: string;
}

export interface RadioGroupProps<V extends string> {
  id: string;
  name: string;
  legend: string;
  options: readonly RadioOption<V>[];
  value: V | null;
  onChange: (value: V) => void;
  hint?: string;
  error?: string;
}

/** A fieldset of radios; the id of the first radio is `<id>-<first value>` for error links. */
export function RadioGroup<V extends string>({
  id,
  name,
  legend,
  options,
  value,
  onChange,
  hint,
  error,
}: RadioGroupProps<V>) {
  return (
    <fieldset
      id={id}
      className={['fieldset', error ? 'fieldset--invalid' : ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend className="fieldset__legend">{legend}</legend>
      <FieldHint id={id}>{hint}</FieldHint>
      <FieldErrorText id={id}>{error}</FieldErrorText>
      <div className="choices">
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <div className="choice choice--card" key={option.value}>
              <div className="choice__row">
                <input
                  id={optionId}
                  type="radio"
                  className="choice__input"
                  name={name}
                  value={option.value}
                  checked={value === option.value}
                  onChange={() => onChange(option.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={option.description ? `${optionId}-description` : undefined}
                />
                <label className="choice__label" htmlFor={optionId}>
                  {option.label}
                </label>
              </div>
              {option.description ? (
                <p id={`${optionId}-description`} className="choice__description">
                  {option.description}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
