import { Link } from 'react-router';
import { Banner, Button, Card, NeedsConnection } from '../../components';
import { formatInstantDate } from '../../lib/dates';
import { describeError } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useAnswerOrganizerInvite, useMyOrganizerInvites } from './api';
import { sportName } from './labels';

/**
 * The signed-in user's pending invitations to co-organize a league, to accept or decline. Shows
 * nothing when there are none (or while they load), so the dashboard stays as it was.
 */
export function OrganizerInvitations() {
  const online = useIsOnline();
  const invites = useMyOrganizerInvites();
  const answer = useAnswerOrganizerInvite();
  // Accepting the last one empties the list: keep the card for the link to the league.
  const joined = answer.isSuccess && answer.data ? answer.data : null;
  if (!invites.data || (invites.data.length === 0 && !joined)) return null;
  return (
    <Card title="Invitations to co-organize">
      <ul className="item-list" aria-label="Invitations to co-organize">
        {invites.data.map((invite) => (
          <li key={invite.id} className="item-list__row item-list__row--wrap">
            <span className="item-list__main">
              <span>
                {invite.invitedBy} invites you to co-organize <strong>{invite.leagueName}</strong> (
                {sportName(invite.sport, invite.customSport)})
              </span>
              <span className="muted">Until {formatInstantDate(invite.expiresAt)}</span>
            </span>
            <span className="form__actions">
              <Button
                variant="primary"
                disabled={!online || answer.isPending}
                aria-label={`Accept: co-organize ${invite.leagueName}`}
                onClick={() => answer.mutate({ inviteId: invite.id, accept: true })}
              >
                Accept
              </Button>
              <Button
                variant="quiet"
                disabled={!online || answer.isPending}
                aria-label={`Decline: do not co-organize ${invite.leagueName}`}
                onClick={() => answer.mutate({ inviteId: invite.id, accept: false })}
              >
                Decline
              </Button>
            </span>
          </li>
        ))}
      </ul>
      {answer.isError ? <Banner tone="error">{describeError(answer.error)}</Banner> : null}
      {joined ? (
        <p className="saved-status" role="status">
          You now co-organize <Link to={`/leagues/${joined.id}`}>{joined.name}</Link>.
        </p>
      ) : null}
      <NeedsConnection online={online}>Answering an invitation needs a connection.</NeedsConnection>
    </Card>
  );
}
