import { Link } from 'react-router';
import type { Standings } from '#domain/schemas/standings';
import { TableScroll } from '../../components';
import { pointsRule, tiebreakNotes, wonLost } from './labels';

/** The division's standings as an accessible table, with how points and ties were decided. */
export function StandingsTable({ standings, caption }: { standings: Standings; caption: string }) {
  if (standings.rows.length === 0) return <p className="muted">No teams in this division yet.</p>;
  const notes = tiebreakNotes(standings.rows);
  const shared = standings.rows.some(
    (row, i) => standings.rows.findIndex((r) => r.rank === row.rank) !== i,
  );
  return (
    <div className="stack stack--tight">
      <TableScroll label={caption}>
        <table className="data-table standings-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                <abbr title="Rank">#</abbr>
              </th>
              <th scope="col">Team</th>
              <th scope="col">
                <abbr title="Played">P</abbr>
              </th>
              <th scope="col">
                <abbr title="Won">W</abbr>
              </th>
              <th scope="col">
                <abbr title="Lost">L</abbr>
              </th>
              <th scope="col">
                <abbr title="Tied">T</abbr>
              </th>
              <th scope="col">Points</th>
              <th scope="col">Lines</th>
              <th scope="col">Sets</th>
              <th scope="col">Games</th>
            </tr>
          </thead>
          <tbody>
            {standings.rows.map((row) => (
              <tr key={row.team.id}>
                <td>{row.rank}</td>
                <th scope="row">
                  <Link to={`/teams/${row.team.id}`}>{row.team.name}</Link>
                </th>
                <td>{row.played}</td>
                <td>{row.won}</td>
                <td>{row.lost}</td>
                <td>{row.tied}</td>
                <td className="data-table__strong">{row.points}</td>
                <td>{wonLost(row.linesWon, row.linesLost)}</td>
                <td>{wonLost(row.setsWon, row.setsLost)}</td>
                <td>{wonLost(row.gamesWon, row.gamesLost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="table-note">
        Points: {pointsRule(standings.rules)}. Lines, sets and games are won–lost.
        {shared ? ' Teams with the same rank could not be separated.' : ''}
      </p>
      {notes.length > 0 ? (
        <ul className="table-note" aria-label="Tiebreakers">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
