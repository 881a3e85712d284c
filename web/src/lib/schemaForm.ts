import { zodResolver } from '@hookform/resolvers/zod';
import { useRef, useState, type FormEvent } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldValues,
  type Path,
  type RegisterOptions,
  type Resolver,
  type UseFormRegisterReturn,
  type UseFormReturn,
} from 'react-hook-form';
import type { z } from 'zod';
import type { FieldError } from '#domain/schemas/problem';
import {
  errorFor,
  placeErrors,
  problemFieldErrors,
  resolverFieldErrors,
  type FieldTarget,
  type FormError,
} from './forms';

export interface SchemaFormOptions<Values extends FieldValues, S extends z.ZodType, Input> {
  /** The shared `domain` schema the API validates the same input with. */
  schema: S;
  defaultValues: DefaultValues<Values>;
  /** What the form's values (text, as typed) are sent as: the schema checks this. */
  toInput: (values: Values) => Input;
  /**
   * Where each field path's error is shown (see `placeErrors`); `submitted` is the input of the
   * last submit, for paths that name an item by its place in a list that was sent.
   */
  locate: (field: string, message: string, submitted: Input) => FieldTarget | null;
  /** Checks the schema cannot make (e.g. a choice the form requires); listed first. */
  check?: (values: Values) => FieldError[];
}

export interface SchemaForm<Values extends FieldValues, Output> {
  form: UseFormReturn<Values, unknown, Output>;
  /** The props of the form's `FormErrorSummary`. */
  summary: { errors: readonly FormError[]; attempt: number };
  /** The error shown at one element, if any. */
  errorFor: (targetId: string) => string | undefined;
  /**
   * The props of a field's input: its id, the value `name` bound by react-hook-form (`register`,
   * with its `options`), and the error shown there.
   */
  field: (
    name: Path<Values>,
    id: string,
    options?: RegisterOptions<Values, Path<Values>>,
  ) => UseFormRegisterReturn<Path<Values>> & { id: string; error: string | undefined };
  /** Shows field errors (e.g. a 409 named after a field) in the summary and at their fields. */
  showErrors: (errors: readonly FieldError[]) => void;
  /** Shows the field errors of a refused write (400 or 409 problem); false if it names none. */
  showProblem: (error: unknown) => boolean;
  /** Forgets the errors shown, e.g. when the form is loaded again. */
  clearErrors: () => void;
  /**
   * The form's `onSubmit`: `before` runs first (e.g. resetting the last write), then the values
   * are checked (`check` and the schema) and either `send` gets the schema's output or the errors
   * are shown and the summary takes focus.
   */
  onSubmit: (
    send: (input: Output) => void,
    before?: () => void,
  ) => (event: FormEvent<HTMLFormElement>) => Promise<void>;
}

/** Checks the form's values, as `toInput` turns them into the API's input, with `schema`. */
function schemaResolver<Values extends FieldValues, S extends z.ZodType, Input>(
  schema: S,
  toInput: (values: Values) => Input,
): Resolver<Values, unknown, z.output<S>> {
  const resolve = zodResolver(schema as z.ZodType<z.output<S>, FieldValues>);
  return (values, context, options) =>
    resolve(toInput(values) as FieldValues, context, options as never) as ReturnType<
      Resolver<Values, unknown, z.output<S>>
    >;
}

/**
 * One way to build a form (react-hook-form with the Zod resolver and the API's own schema): the
 * values, the checks, the error summary that takes focus after each failed submit, and the
 * problems of a refused write placed on their fields. Errors change on submit only, as typing
 * should not move them while the user fixes a field.
 */
export function useSchemaForm<Values extends FieldValues, S extends z.ZodType, Input = unknown>({
  schema,
  defaultValues,
  toInput,
  locate,
  check,
}: SchemaFormOptions<Values, S, Input>): SchemaForm<Values, z.output<S>> {
  const form = useForm<Values, unknown, z.output<S>>({
    defaultValues,
    resolver: schemaResolver(schema, toInput),
    reValidateMode: 'onSubmit',
    // The summary takes focus, not the first invalid field.
    shouldFocusError: false,
  });
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const submitted = useRef<{ input: Input } | null>(null);

  function showErrors(list: readonly FieldError[]) {
    const sent = submitted.current ?? { input: toInput(form.getValues()) };
    setErrors(placeErrors(list, (field, message) => locate(field, message, sent.input)));
    setAttempt((n) => n + 1);
  }

  return {
    form,
    summary: { errors, attempt },
    errorFor: (targetId) => errorFor(errors, targetId),
    field: (name, id, options) => ({
      id,
      ...form.register(name, options),
      error: errorFor(errors, id),
    }),
    showErrors,
    showProblem: (error) => {
      const fieldErrors = problemFieldErrors(error);
      if (fieldErrors) showErrors(fieldErrors);
      return fieldErrors !== null;
    },
    clearErrors: () => setErrors([]),
    onSubmit: (send, before) => (event) => {
      before?.();
      submitted.current = { input: toInput(form.getValues()) };
      const checked = () => check?.(form.getValues()) ?? [];
      return form.handleSubmit(
        (input) => {
          const failed = checked();
          if (failed.length > 0) return showErrors(failed);
          setErrors([]);
          send(input);
        },
        (invalid) => showErrors([...checked(), ...resolverFieldErrors(invalid)]),
      )(event);
    },
  };
}

/**
 * The version an edit form started from, sent as `If-Match`, and "keep theirs" after a stale
 * save's 412: once the newer copy has been read again, `loadTheirs` puts it in the form (and
 * `onLoad` forgets the refused save); until then it is undefined.
 */
export function useEditBase<Values extends FieldValues, Output, Row extends { version: number }>(
  form: UseFormReturn<Values, unknown, Output>,
  row: Row | null | undefined,
  valuesOf: (row: Row) => Values,
  onLoad: () => void,
): { baseVersion: number; loadTheirs: (() => void) | undefined } {
  const [baseVersion, setBaseVersion] = useState(row?.version ?? 0);
  const loadTheirs =
    row && row.version !== baseVersion
      ? () => {
          form.reset(valuesOf(row));
          setBaseVersion(row.version);
          onLoad();
        }
      : undefined;
  return { baseVersion, loadTheirs };
}
