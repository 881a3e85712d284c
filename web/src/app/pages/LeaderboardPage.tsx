import { Card } from '../../components';
import { Leaderboard } from '../../features/ratings';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';

/** Players by rating across leagues: sport, singles or doubles, league, division, name. */
export function LeaderboardPage() {
  const me = useOptionalUser();
  return (
    <Page
      title="Leaderboards"
      lead="Players by rating, from confirmed results. Choose a sport, singles or doubles, and narrow it to a league or division."
    >
      <Card title="Ratings">
        <Leaderboard defaultSport={me?.profile?.sports[0]?.sport} />
      </Card>
    </Page>
  );
}
