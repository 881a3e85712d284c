import {
  LineupInput,
  type AvailabilityGrid,
  type Lineup,
  type LineupLine,
} from '#domain/schemas/availability';
import { type Match } from '#domain/schemas/matches';
import { ProposalInput } from '#domain/schemas/proposals';
import {
  Badge,
  Banner,
  Button,
  DateField,
  FormErrorSummary,
  Loading,
  NeedsConnection,
  SavedStatus,
  Select,
  TextField,
  TimeField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { confirmedUser, useMe } from '../auth';
import { useLeague } from '../leagues';
import { useMyTeams } from '../teams';
import {
  useAvailability,
  useDecideProposal,
  useLineup,
  useProposals,
  useProposeDate,
  useSaveLineup,
  type ProposalDecision,
} from './api';
import { ANSWER_LABELS, MEMBER_STATUS_LABELS, PROPOSAL_STATUS_LABELS } from './labels';

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

function Proposals({
  match,
  myTeamId,
  captain,
}: {
  match: Match;
  myTeamId: string;
  captain: boolean;
}) {
  const proposals = useProposals(match.id);
  const decide = useDecideProposal(match.id);
  const online = useIsOnline();
  const me = confirmedUser(useMe());
  const list = proposals.data ?? [];
  const open = list.some((p) => p.status === 'open');
  const changeable = match.status === 'scheduled' || match.status === 'postponed';

  function act(proposalId: string, decision: ProposalDecision) {
    decide.mutate({ proposalId, decision, idempotencyKey: newIdempotencyKey() });
  }

  return (
    <section className="team-sheet__proposals" aria-label="Date proposals">
      <h3 className="team-sheet__title">Date proposals</h3>
      {proposals.isError ? <Banner tone="error">{describeError(proposals.error)}</Banner> : null}
      {decide.isError ? <Banner tone="error">{describeError(decide.error)}</Banner> : null}
      {list.length === 0 ? (
        <p className="muted">No other dates proposed.</p>
      ) : (
        <ul className="team-sheet__proposal-list" aria-label="Proposed dates">
          {list.map((p) => {
            const mine = p.teamId === myTeamId;
            // Proposals name their maker, not their id: the server has the last word on withdraw.
            const madeByMe =
              mine && (p.proposedBy === null || p.proposedBy === me?.profile?.displayName);
            const what = `${formatDate(p.date)} at ${p.startTime}`;
            return (
              <li key={p.id}>
                <strong>{what}</strong> <Badge>{PROPOSAL_STATUS_LABELS[p.status]}</Badge>
                {p.proposedBy ? ` · by ${p.proposedBy}` : ''}
                {p.message ? <p>{p.message}</p> : null}
                {p.status === 'open' && captain && (madeByMe || !mine) ? (
                  <div className="button-row">
                    {mine ? (
                      <Button
                        variant="secondary"
                        disabled={!online}
                        aria-label={`Withdraw the proposal of ${what}`}
                        onClick={() => act(p.id, 'withdraw')}
                      >
                        Withdraw
                      </Button>
                    ) : (
                      <>
                        <Button
                          disabled={!online}
                          aria-label={`Accept ${what}`}
                          onClick={() => act(p.id, 'accept')}
                        >
                          Accept
                        </Button>
                        <Button
                          variant="secondary"
                          disabled={!online}
                          aria-label={`Decline ${what}`}
                          onClick={() => act(p.id, 'decline')}
                        >
                          Decline
                        </Button>
                      </>
                    )}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {captain && changeable && !open && me ? <ProposeForm match={match} /> : null}
      {captain ? (
        <NeedsConnection online={online}>
          Proposing, accepting or declining a date needs a connection: the other team is told at
          once.
        </NeedsConnection>
      ) : null}
    </section>
  );
}

/** What a proposal sends: an empty message is none. */
function proposalInput(values: { date: string; startTime: string; message: string }) {
  const { date, startTime, message } = values;
  return { date, startTime, message: message.trim() === '' ? null : message };
}

function ProposeForm({ match }: { match: Match }) {
  const ids = {
    date: `propose-date-${match.id}`,
    startTime: `propose-time-${match.id}`,
    message: `propose-message-${match.id}`,
  };
  const { form, summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: ProposalInput,
    defaultValues: { date: '', startTime: match.startTime, message: '' },
    toInput: proposalInput,
    locate: (field) => {
      if (field === 'date') return { targetId: ids.date, label: 'Proposed date' };
      if (field === 'startTime') return { targetId: ids.startTime, label: 'Start time' };
      if (field === 'message') return { targetId: ids.message, label: 'Message' };
      return null;
    },
  });
  const propose = useProposeDate(match.id);
  const online = useIsOnline();

  const send = () =>
    propose.mutate(
      { ...proposalInput(form.getValues()), idempotencyKey: newIdempotencyKey() },
      { onError: showProblem },
    );

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, propose.reset)}
      aria-label="Propose another date"
    >
      <h4 className="team-sheet__subtitle">Propose another date</h4>
      <FormErrorSummary {...summary} />
      {propose.isError && !problemFieldErrors(propose.error) ? (
        <Banner tone="error">{describeError(propose.error)}</Banner>
      ) : null}
      <DateField label="Proposed date" {...field('date', ids.date)} />
      <TimeField label="Start time" {...field('startTime', ids.startTime)} />
      <TextField
        label="Message"
        hint="Optional, shown to the other team"
        {...field('message', ids.message)}
      />
      <div className="form__actions">
        <Button type="submit" busy={propose.isPending} busyLabel="Proposing…" disabled={!online}>
          Propose the date
        </Button>
      </div>
    </form>
  );
}
