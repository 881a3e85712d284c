import { Link } from 'react-router';
import type { LeagueSummary } from '#domain/schemas/leagues';
import { Badge } from '../../components';
import { sportName } from './labels';

/** Leagues as links, with sport, visibility and the user's part in each. */
export function LeagueList({ leagues }: { leagues: readonly LeagueSummary[] }) {
  return (
    <ul className="item-list">
      {leagues.map((league) => (
        <li key={league.id} className="item-list__row">
          <span className="item-list__main">
            <Link to={`/leagues/${league.id}`}>{league.name}</Link>
            <span className="muted">
              {sportName(league.sport, league.customSport)} ·{' '}
              {league.visibility === 'public' ? 'Public' : 'Private'}
            </span>
          </span>
          {league.access.isOrganizer ? (
            <Badge>Organizer</Badge>
          ) : league.access.isMember ? (
            <Badge>Member</Badge>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
