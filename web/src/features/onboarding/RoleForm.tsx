import { useState, type FormEvent } from 'react';
import type { Me, Role } from '#domain/schemas/me';
import { ROLE_LABELS, RoleInput, ROLES } from '#domain/schemas/me';
import {
  Banner,
  Button,
  FormErrorSummary,
  OfflineNotice,
  RadioGroup,
  SavedStatus,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FieldTarget,
  type FormError,
} from '../../lib/forms';
import { useSaveRole } from './api';

const ROLE_GROUP_ID = 'role-choice';

const ROLE_OPTIONS = ROLES.map((role) => ({
  value: role,
  label: ROLE_LABELS[role].title,
  description: ROLE_LABELS[role].description,
}));

function locateRoleField(field: string): FieldTarget | null {
  return field === 'role'
    ? { targetId: ROLE_GROUP_ID, label: 'Role', message: 'Choose a role' }
    : null;
}

export interface RoleFormProps {
  role: Role | null;
  legend: string;
  submitLabel: string;
  /** Shown by the submit button after a save, for forms that stay on the page. */
  savedMessage?: string;
  onSaved?: (me: Me) => void;
}

/** Chooses how the user takes part; the server enforces the role from then on. */
export function RoleForm({ role, legend, submitLabel, savedMessage, onSaved }: RoleFormProps) {
  const [choice, setChoice] = useState<Role | null>(role);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const save = useSaveRole();

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.reset();
    const result = validate(RoleInput, { role: choice ?? undefined });
    if (!result.ok) {
      showErrors(placeErrors(result.errors, locateRoleField));
      return;
    }
    setErrors([]);
    save.mutate(
      { role: result.data.role, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: (me) => onSaved?.(me),
        onError: (error) => {
          const fieldErrors = problemFieldErrors(error);
          if (fieldErrors) showErrors(placeErrors(fieldErrors, locateRoleField));
        },
      },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={save.isPaused}>
        Your role will be saved when the connection is back.
      </OfflineNotice>
      {save.isError && !problemFieldErrors(save.error) ? (
        <Banner tone="error">{describeError(save.error)}</Banner>
      ) : null}
      <RadioGroup
        id={ROLE_GROUP_ID}
        name="role"
        legend={legend}
        options={ROLE_OPTIONS}
        value={choice}
        onChange={(next) => {
          if (save.isSuccess) save.reset();
          setChoice(next);
        }}
        error={errorFor(errors, ROLE_GROUP_ID)}
      />
      <div className="form__actions">
        <Button type="submit" busy={save.isPending} busyLabel="Saving…">
          {submitLabel}
        </Button>
        <SavedStatus show={save.isSuccess} message={savedMessage} />
      </div>
    </form>
  );
}
