import { Link, useNavigate } from 'react-router';
import type { InvitePreview } from '#domain/schemas/invites';
import { Banner, Button, buttonClass, NeedsConnection } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatInstantDate } from '../../lib/dates';
import { describeError } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useAcceptInvite, useDeclineInvite } from './api';

/** What an invitation is for. */
export function InviteDetails({ preview }: { preview: InvitePreview }) {
  return (
    <dl className="summary">
      <div className="summary__row">
        <dt>Team</dt>
        <dd>{preview.teamName}</dd>
      </div>
      <div className="summary__row">
        <dt>League</dt>
        <dd>
          {preview.leagueName} · {preview.seasonName} · {preview.divisionName}
        </dd>
      </div>
      <div className="summary__row">
        <dt>Invited by</dt>
        <dd>{preview.invitedBy}</dd>
      </div>
      <div className="summary__row">
        <dt>Open until</dt>
        <dd>{formatInstantDate(preview.expiresAt)}</dd>
      </div>
    </dl>
  );
}

/**
 * Accept or decline, for a signed-in user; signed out, a sign-in that comes back here (through
 * onboarding for a new user).
 */
export function InviteResponse({
  token,
  preview,
  signedIn,
}: {
  token: string;
  preview: InvitePreview;
  signedIn: boolean;
}) {
  const online = useIsOnline();
  const navigate = useNavigate();
  const accept = useAcceptInvite(token);
  const decline = useDeclineInvite(token);

  if (!signedIn) {
    const returnTo = `/invites/${encodeURIComponent(token)}`;
    return (
      <div className="stack">
        <p>Sign in or create your account to join {preview.teamName}. You will come back here.</p>
        <p>
          <Link
            to={`/sign-in?${new URLSearchParams({ returnTo }).toString()}`}
            className={buttonClass('primary', true)}
          >
            Sign in to join
          </Link>
        </p>
      </div>
    );
  }
  if (preview.alreadyMember) {
    return (
      <Banner tone="info" title={`You are already on ${preview.teamName}`}>
        <Link to={`/teams/${preview.teamId}`}>Go to the team</Link>
      </Banner>
    );
  }
  if (decline.isSuccess) {
    return (
      <Banner tone="info" title="Invitation declined">
        {preview.invitedBy} can invite you again later.
      </Banner>
    );
  }
  return (
    <div className="stack">
      {accept.isError ? (
        <Banner tone="error" title="You could not join">
          {describeError(accept.error)}
        </Banner>
      ) : null}
      {decline.isError ? <Banner tone="error">{describeError(decline.error)}</Banner> : null}
      <div className="button-row">
        <Button
          disabled={!online || decline.isPending}
          busy={accept.isPending}
          busyLabel="Joining…"
          onClick={() =>
            accept.mutate(newIdempotencyKey(), {
              onSuccess: (team) => void navigate(`/teams/${team.id}`),
            })
          }
        >
          Accept and join {preview.teamName}
        </Button>
        <Button
          variant="secondary"
          disabled={!online || accept.isPending}
          busy={decline.isPending}
          busyLabel="Declining…"
          onClick={() => decline.mutate(newIdempotencyKey())}
        >
          Decline
        </Button>
      </div>
      <NeedsConnection online={online}>
        Joining needs a connection: the roster may fill up.
      </NeedsConnection>
    </div>
  );
}
