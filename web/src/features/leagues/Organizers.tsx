import { useState } from 'react';
import type { League, OrganizerInvite } from '#domain/schemas/leagues';
import {
  Badge,
  Banner,
  Button,
  FormErrorSummary,
  NeedsConnection,
  QueryPending,
  TextField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatInstantDate } from '../../lib/dates';
import { describeError, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { OrganizerInviteInput } from '#domain/schemas/leagues';
import {
  useInviteOrganizer,
  useOrganizerInvites,
  useRemoveOrganizer,
  useWithdrawOrganizerInvite,
} from './api';

const EMAIL_ID = 'organizer-email';
const STATUS_NAMES: Record<OrganizerInvite['status'], string> = {
  pending: 'Waiting for an answer',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

function locate(field: string): FieldTarget | null {
  return field === 'email' ? { targetId: EMAIL_ID, label: 'E-mail' } : null;
}

/**
 * The organizers of a league; organizers invite a co-organizer by e-mail (they join once they
 * accept), see and withdraw the invitations, and remove a co-organizer.
 */
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
      {canManage ? (
        <>
          <InviteOrganizerForm leagueId={league.id} online={online} />
          <div className="stack">
            <h3 className="section-title">Invitations</h3>
            <OrganizerInviteList leagueId={league.id} online={online} />
          </div>
        </>
      ) : null}
    </div>
  );
}

function OrganizerInviteList({ leagueId, online }: { leagueId: string; online: boolean }) {
  const invites = useOrganizerInvites(leagueId, true);
  const withdraw = useWithdrawOrganizerInvite(leagueId);
  if (!invites.data) {
    return (
      <QueryPending
        query={invites}
        offline="Invitations will appear when you are back online."
        loading="Loading invitations…"
      />
    );
  }
  if (invites.data.length === 0) return <p className="muted">No invitations yet.</p>;
  return (
    <>
      <ul className="item-list" aria-label="Invitations to co-organize">
        {invites.data.map((invite) => (
          <li key={invite.id} className="item-list__row item-list__row--wrap">
            <span className="item-list__main">
              <span>
                {invite.email} · {STATUS_NAMES[invite.status]}
              </span>
              <span className="muted">
                Sent {formatInstantDate(invite.createdAt)} · until{' '}
                {formatInstantDate(invite.expiresAt)}
              </span>
            </span>
            {invite.status === 'pending' ? (
              <Button
                variant="quiet"
                disabled={!online || withdraw.isPending}
                aria-label={`Withdraw the invitation to ${invite.email}`}
                onClick={() => withdraw.mutate(invite.id)}
              >
                Withdraw
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {withdraw.isError ? <Banner tone="error">{describeError(withdraw.error)}</Banner> : null}
    </>
  );
}

function InviteOrganizerForm({ leagueId, online }: { leagueId: string; online: boolean }) {
  const { form, summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: OrganizerInviteInput,
    defaultValues: { email: '' },
    toInput: (values) => values,
    locate,
  });
  const [sentTo, setSentTo] = useState<{ email: string; logged: boolean } | null>(null);
  const add = useInviteOrganizer(leagueId);

  const send = (input: OrganizerInviteInput) =>
    add.mutate(
      { input, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: (invite) => {
          form.reset();
          setSentTo({ email: invite.email, logged: invite.delivery === 'logged' });
        },
        onError: showProblem,
      },
    );

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, () => {
        add.reset();
        setSentTo(null);
      })}
    >
      <FormErrorSummary {...summary} />
      {add.isError && !problemFieldErrors(add.error) ? (
        <Banner tone="error">{describeError(add.error)}</Banner>
      ) : null}
      <TextField
        label="Invite a co-organizer"
        hint="Their e-mail address. They become co-organizer once they accept, signed in with it."
        type="email"
        autoComplete="off"
        {...field('email', EMAIL_ID)}
      />
      <div className="form__actions">
        <Button
          type="submit"
          variant="secondary"
          disabled={!online}
          busy={add.isPending}
          busyLabel="Sending…"
        >
          Send invitation
        </Button>
      </div>
      <p className="saved-status" role="status">
        {sentTo
          ? sentTo.logged
            ? `Invitation to ${sentTo.email} saved. No mail server is set up: tell them to sign in with that address and accept it on their dashboard.`
            : `Invitation sent to ${sentTo.email}. They become co-organizer once they accept it.`
          : ''}
      </p>
      <NeedsConnection online={online}>Inviting a co-organizer needs a connection.</NeedsConnection>
    </form>
  );
}
