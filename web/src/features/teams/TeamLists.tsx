import { Link } from 'react-router';
import type { MyTeam, TeamSummary } from '#domain/schemas/teams';
import { Badge, ColourSwatch } from '../../components';
import { pluralize } from '../../lib/forms';
import { ROLE_NAMES } from './labels';

/** The teams of a division, as links. */
export function DivisionTeamList({ teams }: { teams: readonly TeamSummary[] }) {
  return (
    <ul className="item-list" aria-label="Teams">
      {teams.map((team) => (
        <li key={team.id} className="item-list__row">
          <span className="item-list__main">
            <span className="with-swatch">
              {team.primaryColour ? <ColourSwatch colour={team.primaryColour} /> : null}
              <Link to={`/teams/${team.id}`}>{team.name}</Link>
            </span>
            <span className="muted">
              {pluralize(team.memberCount, 'player')}
              {team.homeVenue ? ` · ${team.homeVenue}` : ''}
            </span>
          </span>
          {team.archived ? <Badge>Archived</Badge> : null}
        </li>
      ))}
    </ul>
  );
}

/** The signed-in user's teams, for the dashboard. */
export function MyTeamList({ teams }: { teams: readonly MyTeam[] }) {
  return (
    <ul className="item-list">
      {teams.map((team) => (
        <li key={team.id} className="item-list__row">
          <span className="item-list__main">
            <Link to={`/teams/${team.id}`}>{team.name}</Link>
            <span className="muted">
              {team.leagueName} · {team.seasonName} · {team.divisionName}
            </span>
          </span>
          {team.archived ? (
            <Badge>Archived</Badge>
          ) : team.role !== 'player' ? (
            <Badge>{ROLE_NAMES[team.role]}</Badge>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
