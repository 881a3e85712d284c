import { Link } from 'react-router';
import type { TeamStats } from '#domain/schemas/players';
import { Banner, QueryPending, TableScroll } from '../../components';
import { describeError } from '../../lib/forms';
import { useTeamStats } from './api';
import { formatDay, KIND_LABELS, ratingText } from '../ratings';

const RESULT_WORDS = { won: 'Won', lost: 'Lost', tied: 'Tied' } as const;

/** A team's record, its record at each line position, its players with ratings, recent results. */
export function TeamStatsPanel({ teamId, teamName }: { teamId: string; teamName: string }) {
  const stats = useTeamStats(teamId);
  if (stats.isError) return <Banner tone="error">{describeError(stats.error)}</Banner>;
  if (!stats.data) {
    return (
      <QueryPending
        query={stats}
        offline="The team's stats will appear when you are back online."
        loading="Loading the stats…"
      />
    );
  }
  return <TeamStatsView stats={stats.data} teamName={teamName} />;
}

function TeamStatsView({ stats, teamName }: { stats: TeamStats; teamName: string }) {
  const { record } = stats;
  if (record.played === 0)
    return <p className="muted">No results yet: stats appear with the first final result.</p>;
  return (
    <div className="stack">
      <p className="team-record">
        <strong>
          {record.won} won, {record.lost} lost
          {record.tied > 0 ? `, ${record.tied} tied` : ''}
        </strong>{' '}
        <span className="muted">of {record.played} team matches</span>
      </p>

      {stats.recent.length > 0 ? (
        <TableScroll label={`Recent results of ${teamName}`}>
          <table className="data-table">
            <caption>Recent results of {teamName}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Opponent</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {stats.recent.map((r) => (
                <tr key={r.matchId}>
                  <th scope="row">
                    <Link to={`/matches/${r.matchId}`}>{formatDay(r.date)}</Link>
                  </th>
                  <td>
                    {r.home ? 'vs' : 'at'}{' '}
                    <Link to={`/teams/${r.opponent.id}`}>{r.opponent.name}</Link>
                  </td>
                  <td>
                    {RESULT_WORDS[r.result]} {r.linesFor}–{r.linesAgainst}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}

      {stats.lines.length > 0 ? (
        <TableScroll label={'Record by line position'}>
          <table className="data-table">
            <caption>Record by line position</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Won</th>
                <th scope="col">Lost</th>
              </tr>
            </thead>
            <tbody>
              {stats.lines.map((l) => (
                <tr key={`${l.kind}-${l.line}`}>
                  <th scope="row">
                    {KIND_LABELS[l.kind]} {l.line}
                  </th>
                  <td>{l.won}</td>
                  <td>{l.lost}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}

      {stats.players.length > 0 ? (
        <TableScroll label={`Players of ${teamName}`}>
          <table className="data-table">
            <caption>Players of {teamName}</caption>
            <thead>
              <tr>
                <th scope="col">Player</th>
                <th scope="col">Lines played</th>
                <th scope="col">Won–lost</th>
                <th scope="col">Singles rating</th>
                <th scope="col">Doubles rating</th>
              </tr>
            </thead>
            <tbody>
              {stats.players.map((p) => (
                <tr key={p.player.id}>
                  <th scope="row">
                    <Link to={`/players/${p.player.id}`}>{p.player.name}</Link>
                  </th>
                  <td>{p.played}</td>
                  <td>
                    {p.won}–{p.lost}
                  </td>
                  <td>{p.singlesRating === null ? '—' : ratingText(p.singlesRating)}</td>
                  <td>{p.doublesRating === null ? '—' : ratingText(p.doublesRating)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </div>
  );
}
