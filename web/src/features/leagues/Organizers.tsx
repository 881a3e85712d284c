import { useState, type FormEvent } from 'react';
import type { League } from '../../../../domain/schemas/league';
import type { FieldError } from '../../../../domain/schemas/problem';
import {
  Badge,
  Banner,
  Button,
  FormErrorSummary,
  NeedsConnection,
  TextField,
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
import { useIsOnline } from '../../lib/online';
import { EmailInviteInput } from '../../../../domain/schemas/league';
import { useAddOrganizer, useRemoveOrganizer } from './api';

const EMAIL_ID = 'organizer-email';
// The same e-mail rule as invitations: trimmed, lower-cased, a real address.
const OrganizerEmail = EmailInviteInput.pick({ email: true });

function locate(field: string): FieldTarget | null {
  return field === 'email' ? { targetId: EMAIL_ID, label: 'E-mail' } : null;
}
const place = (errors: readonly FieldError[]) => placeErrors(errors, locate);

/** The organizers of a league; organizers may add a co-organizer by e-mail and remove one. */
export function Organizers({ league }: { league: League }) {
  const online = useIsOnline();
  const remove = useRemoveOrganizer(league.id);
  const canManage = league.access.isOrganizer;
  return (
    <div className="stack">
      <ul className="item-list">
        {league.organizers.map((organizer) => (
          <li key={organizer.userId} className="item-list__row">
            <span>
              {organizer.displayName}{' '}
              <Badge>{organizer.role === 'owner' ? 'Owner' : 'Co-organizer'}</Badge>
            </span>
            {canManage && organizer.role === 'co_organizer' ? (
              <Button
                variant="quiet"
                disabled={!online || remove.isPending}
                aria-label={`Remove ${organizer.displayName} as co-organizer`}
                onClick={() =>
                  remove.mutate({ userId: organizer.userId, idempotencyKey: newIdempotencyKey() })
                }
              >
                Remove
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {remove.isError ? <Banner tone="error">{describeError(remove.error)}</Banner> : null}
      {canManage ? <AddOrganizerForm leagueId={league.id} online={online} /> : null}
    </div>
  );
}

function AddOrganizerForm({ leagueId, online }: { leagueId: string; online: boolean }) {
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const add = useAddOrganizer(leagueId);

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.reset();
    const result = validate(OrganizerEmail, { email });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    add.mutate(
      { input: result.data, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: () => setEmail(''),
        onError: (error) => {
          const fieldErrors = problemFieldErrors(error);
          if (fieldErrors) showErrors(place(fieldErrors));
        },
      },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      {add.isError && !problemFieldErrors(add.error) ? (
        <Banner tone="error">{describeError(add.error)}</Banner>
      ) : null}
      <TextField
        id={EMAIL_ID}
        label="Add a co-organizer"
        hint="The e-mail they signed in to Rally Connect with"
        type="email"
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errorFor(errors, EMAIL_ID)}
      />
      <div className="form__actions">
        <Button
          type="submit"
          variant="secondary"
          disabled={!online}
          busy={add.isPending}
          busyLabel="Adding…"
        >
          Add co-organizer
        </Button>
      </div>
      <NeedsConnection online={online}>Adding a co-organizer needs a connection.</NeedsConnection>
    </form>
  );
}
