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
import { describeError, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useSchemaForm } from '../../lib/schemaForm';
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
  const { form, summary, errorFor, showProblem, onSubmit } = useSchemaForm({
    schema: RoleInput,
    defaultValues: { role },
    toInput: ({ role: choice }: { role: Role | null }) => ({ role: choice ?? undefined }),
    locate: locateRoleField,
  });
  const save = useSaveRole();

  const send = ({ role: chosen }: { role: Role }) =>
    save.mutate(
      { role: chosen, idempotencyKey: newIdempotencyKey() },
      { onSuccess: (me) => onSaved?.(me), onError: showProblem },
    );

  return (
    <form className="form" noValidate onSubmit={onSubmit(send, save.reset)}>
      <FormErrorSummary {...summary} />
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
        value={form.watch('role')}
        onChange={(next) => {
          if (save.isSuccess) save.reset();
          form.setValue('role', next);
        }}
        error={errorFor(ROLE_GROUP_ID)}
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
