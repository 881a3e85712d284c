import { TextField, type TextFieldProps } from './TextField';

type DateTimeFieldProps = Omit<TextFieldProps, 'type'>;

/** A calendar date, typed or picked (`YYYY-MM-DD`, as the API takes dates). */
export function DateField(props: DateTimeFieldProps) {
  return <TextField type="date" {...props} />;
}

/** A time of day (`HH:MM`, 24-hour, as the API takes times). */
export function TimeField(props: DateTimeFieldProps) {
  return <TextField type="time" {...props} />;
}
