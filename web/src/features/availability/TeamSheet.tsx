import {
  LineupInput,
  type AvailabilityGrid,
  type Lineup,
  type LineupLine,
} from '#domain/schemas/availability';
import { type Match } from '#domain/schemas/matches';
import {
  Badge,
  Banner,
  Button,
  FormErrorSummary,
  Loading,
  NeedsConnection,
  SavedStatus,
  Select,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { useLeague } from '../leagues';
import { Proposals } from '../proposals';
import { useMyTeams } from '../teams';
import { useAvailability, useLineup, useSaveLineup } from './api';
import { ANSWER_LABELS, MEMBER_STATUS_LABELS } from './labels';

/** The team sheet of one match for a member of either team: availability, lineup, new dates. */
export function TeamSheet({ match }: { match: Match }) {
  const teams = useMyTeams();
  const myTeam = teams.data?.find((t) => t.id === match.homeTeam.id || t.id === match.awayTeam.id);
  const grid = useAvailability(match.id);
  if (teams.isError) return <Banner tone="error">{describeError(teams.error)}</Banner>;
  if (!teams.data) return <Loading label="Loading the team sheet…" />;
  if (!myTeam) return <p className="muted">Only the players of these teams see the team sheet.</p>;
  const captain = myTeam.role === 'captain' || myTeam.role === 'co_captain';
  const teamName = myTeam.name;
  return (
    <div className="team-sheet">
      <h3 className="team-sheet__title">Availability of {teamName}</h3>
      {grid.isError ? (
        <Banner tone="error">{describeError(grid.error)}</Banner>
      ) : grid.data ? (
        <AvailabilityTable grid={grid.data} teamName={teamName} />
      ) : (
        <Loading label="Loading availability…" />
      )}
      {captain && grid.data ? (
        <LineupEditor match={match} grid={grid.data} teamName={teamName} />
      ) : (
        <LineupView matchId={match.id} />
      )}
      <Proposals match={match} myTeamId={myTeam.id} captain={captain} />
    </div>
  );
}

function AvailabilityTable({ grid, teamName }: { grid: AvailabilityGrid; teamName: string }) {
  return (
    <table className="table team-sheet__grid">
      <caption className="visually-hidden">Availability of {teamName}</caption>
      <thead>
        <tr>
          <th scope="col">Player</th>
          <th scope="col">Roster</th>
          <th scope="col">Answer</th>
        </tr>
      </thead>
      <tbody>
        {grid.players.map((player) => (
          <tr key={player.userId}>
            <th scope="row">{player.displayName}</th>
            <td>
              <Badge>{MEMBER_STATUS_LABELS[player.status] ?? player.status}</Badge>
            </td>
            <td>
              {player.answer ? ANSWER_LABELS[player.answer] : 'No answer yet'}
              {player.note ? ` · ${player.note}` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LineupView({ matchId }: { matchId: string }) {
  const lineup = useLineup(matchId);
  if (!lineup.data || lineup.data.lines.length === 0) return null;
  return (
    <>
      <h3 className="team-sheet__title">Lineup</h3>
      <ul className="team-sheet__lineup">
        {lineup.data.lines.map((line) => (
          <li key={`${line.kind}-${line.line}`}>
            {line.kind === 'singles' ? 'Singles' : 'Doubles'} {line.line}: {line.names.join(' & ')}
          </li>
        ))}
      </ul>
    </>
  );
}

interface Seat {
  kind: LineupLine['kind'];
  line: number;
}

function seatKey(seat: Seat) {
  return `${seat.kind}-${seat.line}`;
}

function LineupEditor({
  match,
  grid,
  teamName,
}: {
  match: Match;
  grid: AvailabilityGrid;
  teamName: string;
}) {
  const league = useLeague(match.leagueId);
  const lineup = useLineup(match.id);
  if (league.isError) return <Banner tone="error">{describeError(league.error)}</Banner>;
  if (!league.data || !lineup.data) return <Loading label="Loading the lineup…" />;
  const seats: Seat[] = league.data.format.lines.flatMap((l) =>
    Array.from({ length: l.count }, (_, i) => ({ kind: l.kind, line: i + 1 })),
  );
  return (
    <LineupForm match={match} grid={grid} seats={seats} initial={lineup.data} teamName={teamName} />
  );
}

function LineupForm({
  match,
  grid,
  seats,
  initial,
  teamName,
}: {
  match: Match;
  grid: AvailabilityGrid;
  seats: Seat[];
  initial: Lineup;
  teamName: string;
}) {
  const save = useSaveLineup(match.id);
  const online = useIsOnline();
  const seatId = (seat: Seat, j: number) => `lineup-${match.id}-${seat.kind}-${seat.line}-${j}`;
  const seatLabel = (seat: Seat, j: number) =>
    `${seat.kind === 'singles' ? 'Singles' : 'Doubles'} line ${seat.line}${
      seat.kind === 'doubles' ? `, player ${j + 1}` : ''
    }`;
  const options = grid.players.map((p) => ({
    value: p.userId,
    label: `${p.displayName}${p.answer ? ` (${ANSWER_LABELS[p.answer]})` : ''}`,
  }));

  function linesToSend(picks: Record<string, string[]>): LineupLine[] {
    return seats.flatMap((seat) => {
      const players = (picks[seatKey(seat)] ?? []).filter(Boolean);
      return players.length > 0 ? [{ kind: seat.kind, line: seat.line, players }] : [];
    });
  }

  const { form, summary, errorFor, showProblem, onSubmit } = useSchemaForm({
    schema: LineupInput,
    defaultValues: {
      picks: Object.fromEntries(initial.lines.map((line) => [seatKey(line), [...line.players]])),
    },
    toInput: ({ picks }) => ({ lines: linesToSend(picks) }),
    // Errors name a line by its place among the lines sent.
    locate: (field, _message, sent) => {
      const m = /^lines\.(\d+)(?:\.(line|players)(?:\.(\d+))?)?/.exec(field);
      if (!m) return null;
      const line = sent.lines[Number(m[1])];
      if (!line) return null;
      const seat = { kind: line.kind, line: line.line };
      const j = m[3] ? Number(m[3]) : 0;
      return { targetId: seatId(seat, j), label: seatLabel(seat, j) };
    },
  });

  const send = ({ lines }: LineupInput) =>
    save.mutate({ lines, idempotencyKey: newIdempotencyKey() }, { onError: showProblem });

  return (
    <form className="form team-sheet__lineup-form" noValidate onSubmit={onSubmit(send, save.reset)}>
      <h3 className="team-sheet__title">Lineup of {teamName}</h3>
      <FormErrorSummary {...summary} />
      {save.isError && !problemFieldErrors(save.error) ? (
        <Banner tone="error">{describeError(save.error)}</Banner>
      ) : null}
      {seats.map((seat) =>
        Array.from({ length: seat.kind === 'doubles' ? 2 : 1 }, (_, j) => {
          const id = seatId(seat, j);
          return (
            <Select
              key={id}
              id={id}
              label={seatLabel(seat, j)}
              placeholder="Nobody yet"
              options={options}
              {...form.register(`picks.${seatKey(seat)}.${j}`)}
              error={errorFor(id)}
            />
          );
        }),
      )}
      <NeedsConnection online={online}>Saving the lineup needs a connection.</NeedsConnection>
      <div className="form__actions">
        <Button type="submit" busy={save.isPending} busyLabel="Saving…" disabled={!online}>
          Save the lineup
        </Button>
        <SavedStatus show={save.isSuccess} message="Lineup saved" />
      </div>
    </form>
  );
}
