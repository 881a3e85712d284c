import { Link, useParams } from 'react-router';
import { Banner, Card } from '../../components';
import { InviteDetails, InviteResponse, useInvitePreview } from '../../features/invites';
import { isApiError } from '../../lib/api';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

export function InvitePage() {
  const { token = '' } = useParams();
  const me = useOptionalUser();
  const preview = useInvitePreview(token);

  if (isApiError(preview.error, 410)) {
    return (
      <Page title="This invitation can no longer be used" narrow>
        <Banner tone="warning">{preview.error.problem.detail}</Banner>
        <p>
          <Link to={me ? '/' : '/leagues'}>{me ? 'Go to your dashboard' : 'See the leagues'}</Link>
        </p>
      </Page>
    );
  }
  if (!preview.data || isGone(preview.error))
    return (
      <QueryProblem
        what="invitation"
        query={preview}
        signedIn={Boolean(me)}
        notFound="This invitation link is not known. Check that it was copied whole, or ask the captain for a new one."
      />
    );

  return (
    <Page
      title={`Join ${preview.data.teamName}`}
      lead={`${preview.data.invitedBy} invited you to join the team.`}
      narrow
    >
      <Card>
        <InviteDetails preview={preview.data} />
      </Card>
      <InviteResponse token={token} preview={preview.data} signedIn={Boolean(me)} />
    </Page>
  );
}
