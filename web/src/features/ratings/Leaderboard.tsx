import { useQuery } from '@tanstack/react-query';
import { useDeferredValue } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { League } from '#domain/schemas/leagues';
import { SPORTS } from '#domain/schemas/me';
import type { Leaderboard as LeaderboardData } from '#domain/schemas/ratings';
import type { LineKind } from '#domain/schemas/results';
import { Badge, Banner, Loading, Select, TableScroll, TextField } from '../../components';
import { apiFetch } from '../../lib/api';
import { describeError } from '../../lib/forms';
import { leagueQueryKey, useLeagues } from '../leagues';
import { useLeaderboard } from './api';
import {
  formatDay,
  KIND_LABELS,
  ratingText,
  RELIABILITY_HELP,
  RELIABILITY_LABELS,
  reliabilityOf,
} from './labels';
import { sportLabel } from './why';

const SPORT_OPTIONS = SPORTS.map((s) => ({ value: s, label: sportLabel(s) }));
const KIND_OPTIONS = (['singles', 'doubles'] as const).map((k) => ({
  value: k,
  label: KIND_LABELS[k],
}));
const MIN_OPTIONS = [0, 1, 3, 5, 10, 20].map((n) => ({
  value: String(n),
  label: n === 0 ? 'Any number' : `At least ${n}`,
}));

/** A league's divisions, for the division filter (only fetched once a league is chosen). */
function useLeagueDivisions(leagueId: string) {
  const league = useQuery({
    queryKey: leagueQueryKey(leagueId),
    queryFn: ({ signal }) => apiFetch<League>(`/api/leagues/${leagueId}`, { signal }),
    enabled: Boolean(leagueId),
  });
  return (league.data?.seasons ?? []).flatMap((s) =>
    s.divisions.map((d) => ({ value: d.id, label: `${d.name} (${s.name})` })),
  );
}

/**
 * Players by rating, filtered by sport, singles or doubles, league or division, matches played and
 * name; the filters live in the address so a board can be shared. Each row links to the player.
 * `defaultSport` is the board's sport until one is chosen (the signed-in user's first sport): the
 * page reads the user from its route guard, because a `useMe()` here would re-check a signed-out
 * visitor's session on every mount and, through the guard, remount this board in a loop (issue #10).
 */
export function Leaderboard({ defaultSport = 'tennis' }: { defaultSport?: string }) {
  const [params, setParams] = useSearchParams();
  const leagueId = params.get('leagueId') ?? '';
  // A board needs a sport: the league's when one is chosen, else the default.
  const sport = params.get('sport') ?? (leagueId ? '' : defaultSport);
  const kind = (params.get('kind') === 'doubles' ? 'doubles' : 'singles') as LineKind;
  const divisionId = params.get('divisionId') ?? '';
  const minMatches = params.get('minMatches') ?? '0';
  const q = params.get('q') ?? '';
  const deferredQ = useDeferredValue(q);
  const leagues = useLeagues();
  const divisions = useLeagueDivisions(leagueId);
  const board = useLeaderboard({
    sport: sport || undefined,
    kind,
    leagueId: leagueId || undefined,
    divisionId: divisionId || undefined,
    minMatches: Number(minMatches) || 0,
    q: deferredQ.trim() || undefined,
    limit: 100,
  });

  function set(key: string, value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key === 'leagueId') next.delete('divisionId');
        return next;
      },
      { replace: true },
    );
  }

  return (
    <div className="stack">
      <form
        className="leaderboard-filters"
        role="search"
        aria-label="Leaderboard filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <Select
          id="board-sport"
          label="Sport"
          placeholder={leagueId ? "The league's sport" : undefined}
          options={SPORT_OPTIONS}
          value={sport}
          onChange={(e) => set('sport', e.target.value)}
        />
        <Select
          id="board-kind"
          label="Singles or doubles"
          options={KIND_OPTIONS}
          value={kind}
          onChange={(e) => set('kind', e.target.value)}
        />
        <Select
          id="board-league"
          label="League"
          placeholder="All leagues"
          options={(leagues.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
          value={leagueId}
          onChange={(e) => set('leagueId', e.target.value)}
        />
        <Select
          id="board-division"
          label="Division"
          placeholder={leagueId ? 'All divisions' : 'Choose a league first'}
          options={divisions}
          value={divisionId}
          disabled={!leagueId}
          onChange={(e) => set('divisionId', e.target.value)}
        />
        <Select
          id="board-min"
          label="Matches played"
          options={MIN_OPTIONS}
          value={minMatches}
          onChange={(e) => set('minMatches', e.target.value === '0' ? '' : e.target.value)}
        />
        <TextField
          id="board-q"
          label="Player name"
          type="search"
          autoComplete="off"
          value={q}
          onChange={(e) => set('q', e.target.value)}
        />
      </form>
      {board.isError ? (
        <Banner tone="error">{describeError(board.error)}</Banner>
      ) : board.data ? (
        <LeaderboardTable board={board.data} />
      ) : board.fetchStatus === 'paused' ? (
        <p className="muted">The leaderboard will appear when you are back online.</p>
      ) : (
        <Loading label="Loading the leaderboard…" />
      )}
    </div>
  );
}

function LeaderboardTable({ board }: { board: LeaderboardData }) {
  const caption = `${sportLabel(board.sport)} ${KIND_LABELS[board.kind].toLowerCase()} leaderboard`;
  if (board.rows.length === 0)
    return <p className="muted">No rated players match these filters yet.</p>;
  return (
    <div className="stack stack--tight">
      <TableScroll label={caption}>
        <table className="data-table leaderboard-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                <abbr title="Rank">#</abbr>
              </th>
              <th scope="col">Player</th>
              <th scope="col">Rating</th>
              <th scope="col">Matches</th>
              <th scope="col">Won–lost</th>
              <th scope="col">Last played</th>
            </tr>
          </thead>
          <tbody>
            {board.rows.map((row) => {
              const reliability = reliabilityOf(row.reliability);
              return (
                <tr key={row.player.id}>
                  <td>{row.rank}</td>
                  <th scope="row">
                    <Link to={`/players/${row.player.id}?sport=${encodeURIComponent(board.sport)}`}>
                      {row.player.name}
                    </Link>
                  </th>
                  <td>
                    <span className="data-table__strong">{ratingText(row.rating)}</span>{' '}
                    {reliability !== 'established' ? (
                      <Badge>{RELIABILITY_LABELS[reliability]}</Badge>
                    ) : null}
                  </td>
                  <td>{row.matches}</td>
                  <td>
                    {row.won}–{row.lost}
                  </td>
                  <td>{formatDay(row.lastPlayed)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <p className="table-note">{RELIABILITY_HELP}</p>
    </div>
  );
}
