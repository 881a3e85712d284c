import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { z } from 'zod';
import { ratingSportKey } from '#domain/schemas/ratings';
import {
  LineEntry,
  type MatchResult,
  type ResultCorrectInput,
  type ResultDisputeInput,
  type ResultEntryInput,
  type ResultEvent,
  type ResultSettleInput,
} from '#domain/schemas/results';
import { asSystem, type Database, type Tx } from '../../db/database';
import { HttpProblem, conflict, forbidden } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { findMatch, markPlayed, visibleMatch, type MatchRow } from '../matches';
import { todayIn } from '#domain/rules/dates';
import { rerateFrom } from '../ratings';
import { checkLines, storedOf, type Checked, type StoredLine } from './results.lines';
import { resultView, type Access } from './results.presenter';
import { resultsRepository as repo, type FinalLineRow } from './results.repository';

type ResultRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;
const HOUR_MS = 3_600_000;

/** A match that may take a result: visible, not cancelled, already begun (today or earlier). */
async function resultableMatch(tx: Tx, matchId: string): Promise<MatchRow> {
  const match = await visibleMatch(tx, matchId);
  if (match.status === 'cancelled') {
    throw conflict('This match was cancelled: it has no result.');
  }
  if (match.match_date > todayIn(match.time_zone)) {
    throw conflict(`This match is on ${match.match_date}: enter its result from that day.`);
  }
  return match;
}

/**
 * Changes a result still in one of `from` states (at the client's version, when given), or
 * answers 412 with the current result: someone acted first, or the client's copy is stale.
 */
async function changeOr412(
  tx: Tx,
  user: SessionUser,
  match: MatchRow,
  from: Parameters<typeof repo.update>[2],
  change: Parameters<typeof repo.update>[3],
  ifMatch: number | undefined,
  detail = 'This result changed since you loaded it.',
): Promise<void> {
  if (await repo.update(tx, match.id, from, change, ifMatch)) return;
  throw new HttpProblem(412, detail, {
    type: PROBLEM_TYPES.versionConflict,
    extra: { current: await resultView(tx, user, match) },
  });
}

/**
 * `PUT /api/matches/:id/result`: a team's captain enters the team match, or re-enters it while
 * the other team has not answered yet.
 */
export async function enterResult(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  input: z.output<typeof ResultEntryInput>,
  ifMatch: number | undefined,
): Promise<MatchResult> {
  const match = await resultableMatch(tx, matchId);
  const access = await repo.access(tx, match);
  if (!access.home && !access.away) {
    throw forbidden(
      access.organizer
        ? 'Captains enter results; as an organizer, settle the result instead.'
        : "Only the teams' captains enter results.",
    );
  }
  const league = await repo.rules(tx, match.league_id);
  const checked = await checkLines(tx, match, league.format, input.lines);
  const existing = await repo.find(tx, matchId);
  const now = new Date();
  const confirmBy = new Date(now.getTime() + league.result_confirm_hours * HOUR_MS);
  if (!existing) {
    const team = access.home ? match.home_team_id : match.away_team_id;
    await repo.insert(tx, {
      match_id: matchId,
      division_id: match.division_id,
      status: 'pending',
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      entered_team_id: team,
      entered_by: user.id,
      confirm_by: confirmBy,
    });
    await record(tx, match, 'entered', user.id, team, null, checked);
    return resultView(tx, user, match, access);
  }
  assertNotDecided(existing);
  const enteredTeam = existing.entered_team_id;
  const mine =
    (enteredTeam === match.home_team_id && access.home) ||
    (enteredTeam === match.away_team_id && access.away);
  if (existing.status === 'disputed') {
    throw conflict('This result is disputed: an organizer settles it.');
  }
  if (!mine) {
    throw conflict(
      `${teamName(match, enteredTeam)} already entered this result: confirm it, or dispute it with your version.`,
    );
  }
  await changeOr412(
    tx,
    user,
    match,
    ['pending'],
    {
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      entered_by: user.id,
      entered_at: now,
      confirm_by: confirmBy,
    },
    ifMatch,
  );
  await record(tx, match, 'reentered', user.id, enteredTeam, null, checked);
  return resultView(tx, user, match, access);
}

/** The other team's captain agrees: the result is final, and ratings move. */
export async function confirmResult(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  ifMatch: number | undefined,
): Promise<MatchResult> {
  const match = await resultableMatch(tx, matchId);
  const existing = await pendingResult(tx, matchId);
  const other = otherTeam(match, existing);
  const access = await assertCaptainOf(tx, match, other, 'confirms');
  await changeOr412(
    tx,
    user,
    match,
    ['pending'],
    {
      status: 'final',
      decided_how: 'confirmed',
      decided_by: user.id,
      decided_at: new Date(),
      confirm_by: null,
    },
    // The version read above at the least: the lines made final must be the lines confirmed.
    ifMatch ?? existing.version,
    'This result changed since you loaded it: check it again before you confirm.',
  );
  await record(tx, match, 'confirmed', user.id, other, null, null);
  await finalize(tx, match, storedOf(existing));
  return resultView(tx, user, match, access);
}

/** The other team's captain disagrees, with their version and why. */
export async function disputeResult(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  input: z.output<typeof ResultDisputeInput>,
  ifMatch: number | undefined,
): Promise<MatchResult> {
  const match = await resultableMatch(tx, matchId);
  const existing = await pendingResult(tx, matchId);
  const other = otherTeam(match, existing);
  const access = await assertCaptainOf(tx, match, other, 'disputes');
  const league = await repo.rules(tx, match.league_id);
  const checked = await checkLines(tx, match, league.format, input.lines);
  await changeOr412(
    tx,
    user,
    match,
    ['pending'],
    {
      status: 'disputed',
      dispute_team_id: other,
      dispute_comment: input.comment,
      dispute_lines: JSON.stringify(checked.lines),
      dispute_totals: JSON.stringify(checked.totals),
      disputed_at: new Date(),
      confirm_by: null,
    },
    ifMatch,
  );
  await record(tx, match, 'disputed', user.id, other, input.comment, checked);
  return resultView(tx, user, match, access);
}

/** An organizer decides the result: of a dispute, or of a match nobody entered. */
export async function settleResult(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  input: z.output<typeof ResultSettleInput>,
  ifMatch: number | undefined,
): Promise<MatchResult> {
  const match = await resultableMatch(tx, matchId);
  const access = await assertOrganizer(tx, match, 'settle results');
  const league = await repo.rules(tx, match.league_id);
  const checked = await checkLines(tx, match, league.format, input.lines);
  const existing = await repo.find(tx, matchId);
  const decided = { decided_how: 'settled' as const, decided_by: user.id, decided_at: new Date() };
  if (!existing) {
    await repo.insert(tx, {
      match_id: matchId,
      division_id: match.division_id,
      status: 'final',
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      entered_team_id: null,
      entered_by: user.id,
      confirm_by: null,
      ...decided,
    });
  } else {
    assertNotDecided(existing, 'correct it instead');
    await changeOr412(
      tx,
      user,
      match,
      ['pending', 'disputed'],
      {
        status: 'final',
        lines: JSON.stringify(checked.lines),
        totals: JSON.stringify(checked.totals),
        confirm_by: null,
        ...decided,
      },
      ifMatch,
    );
  }
  await record(tx, match, 'settled', user.id, null, input.comment, checked);
  await finalize(tx, match, checked.lines);
  return resultView(tx, user, match, access);
}

/** An organizer corrects a final result, with a reason; ratings are re-rated from this match on. */
export async function correctResult(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  input: z.output<typeof ResultCorrectInput>,
  ifMatch: number | undefined,
): Promise<MatchResult> {
  const match = await visibleMatch(tx, matchId);
  const access = await assertOrganizer(tx, match, 'correct results');
  const existing = await repo.find(tx, matchId);
  if (existing?.status !== 'final') {
    throw conflict('Only a final result is corrected; settle a result that is not final yet.');
  }
  const league = await repo.rules(tx, match.league_id);
  const checked = await checkLines(tx, match, league.format, input.lines);
  await changeOr412(
    tx,
    user,
    match,
    ['final'],
    {
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      decided_how: 'corrected',
      decided_by: user.id,
      decided_at: new Date(),
    },
    ifMatch,
  );
  await record(tx, match, 'corrected', user.id, null, input.reason, checked);
  await finalize(tx, match, checked.lines);
  return resultView(tx, user, match, access);
}

/**
 * Records a result both teams agreed on, final at once: entered by one captain and confirmed
 * by the other at `at`, with ratings moved. For loading history (the demo season); runs on the
 * owner connection, checked against the league's format like any entry. Loading many, pass
 * `rate: false` and re-rate the sport once at the end (rerateFrom the first).
 */
export async function recordAgreedResult(
  tx: Tx,
  matchId: string,
  entries: readonly z.input<typeof LineEntry>[],
  by: { enteredBy: string; confirmedBy: string; enteredAt: Date; confirmedAt: Date },
  options: { rate: boolean } = { rate: true },
): Promise<void> {
  const match = await findMatch(tx, matchId);
  if (!match) throw new Error(`no match ${matchId}`);
  const league = await repo.rules(tx, match.league_id);
  const checked = await checkLines(
    tx,
    match,
    league.format,
    entries.map((e) => LineEntry.parse(e)),
  );
  await repo.insert(tx, {
    match_id: matchId,
    division_id: match.division_id,
    status: 'final',
    lines: JSON.stringify(checked.lines),
    totals: JSON.stringify(checked.totals),
    entered_team_id: match.home_team_id,
    entered_by: by.enteredBy,
    entered_at: by.enteredAt,
    confirm_by: null,
    decided_how: 'confirmed',
    decided_by: by.confirmedBy,
    decided_at: by.confirmedAt,
  });
  const event = { match_id: match.id, division_id: match.division_id, comment: null };
  await repo.record(tx, {
    ...event,
    kind: 'entered',
    actor_id: by.enteredBy,
    team_id: match.home_team_id,
    lines: JSON.stringify(checked.lines),
    totals: JSON.stringify(checked.totals),
    at: by.enteredAt,
  });
  await repo.record(tx, {
    ...event,
    kind: 'confirmed',
    actor_id: by.confirmedBy,
    team_id: match.away_team_id,
    lines: null,
    totals: null,
    at: by.confirmedAt,
  });
  await finalize(tx, match, checked.lines, options);
}

/**
 * Confirms the pending results whose deadline has passed, each in its own transaction on the
 * owner connection (no user acts: the league's rule does). Returns how many it confirmed.
 */
export async function confirmDueResults(db: Database, now = new Date()): Promise<number> {
  const due = await repo.due(db.system, now);
  let confirmed = 0;
  for (const { match_id } of due) {
    const done = await db.system.transaction().execute(async (tx) => {
      const row = await repo.lockPending(tx, match_id, now);
      if (!row) return false;
      const match = await findMatch(tx, match_id);
      if (!match) return false;
      await repo.update(tx, match_id, ['pending'], {
        status: 'final',
        decided_how: 'auto_confirmed',
        decided_by: null,
        decided_at: now,
        confirm_by: null,
      });
      await repo.record(tx, {
        match_id,
        division_id: match.division_id,
        kind: 'auto_confirmed',
        actor_id: null,
        team_id: null,
        comment: null,
        lines: null,
        totals: null,
      });
      await finalize(tx, match, storedOf(row));
      return true;
    });
    if (done) confirmed++;
  }
  return confirmed;
}

/**
 * Writes out a final result and moves ratings, in the transaction that made it final: the
 * lines and players for standings and stats, the match marked played, and the sport re-rated
 * from this match on.
 */
async function finalize(
  tx: Tx,
  match: MatchRow,
  lines: readonly StoredLine[],
  options: { rate: boolean } = { rate: true },
): Promise<void> {
  const league = await repo.rules(tx, match.league_id);
  await asSystem(tx, async (owner) => {
    await repo.replaceLines(
      owner,
      match,
      { home: match.home_team_id, away: match.away_team_id },
      lines.map((l): FinalLineRow => ({
        kind: l.kind,
        line: l.line,
        outcome: l.result.outcome,
        winner: l.result.winner,
        sets: JSON.stringify(l.result.sets),
        sets_home: l.result.setsHome,
        sets_away: l.result.setsAway,
        games_home: l.result.gamesHome,
        games_away: l.result.gamesAway,
        text: l.result.text,
        rated: l.result.rated,
        rating_games_home: l.result.ratingGames?.home ?? null,
        rating_games_away: l.result.ratingGames?.away ?? null,
        homePlayers: l.homePlayers,
        awayPlayers: l.awayPlayers,
      })),
    );
    await markPlayed(owner, match.id);
    if (!options.rate) return;
    await rerateFrom(owner, {
      sport: ratingSportKey(league.sport, league.custom_sport),
      matchDate: match.match_date,
      startTime: match.start_time,
      matchId: match.id,
    });
  });
}

async function record(
  tx: Tx,
  match: MatchRow,
  kind: ResultEvent['kind'],
  actor: string,
  team: string | null,
  comment: string | null,
  checked: Checked | null,
) {
  await repo.record(tx, {
    match_id: match.id,
    division_id: match.division_id,
    kind,
    actor_id: actor,
    team_id: team,
    comment,
    lines: checked ? JSON.stringify(checked.lines) : null,
    totals: checked ? JSON.stringify(checked.totals) : null,
  });
}

async function pendingResult(tx: Tx, matchId: string): Promise<ResultRow> {
  const existing = await repo.find(tx, matchId);
  if (!existing) throw conflict('No result has been entered for this match yet.');
  assertNotDecided(existing);
  if (existing.status === 'disputed') {
    throw conflict('This result is disputed: an organizer settles it.');
  }
  return existing;
}

function assertNotDecided(existing: ResultRow, hint = 'an organizer may correct it') {
  if (existing.status === 'final') {
    throw conflict(`This result is final and locked: ${hint}.`);
  }
}

function otherTeam(match: MatchRow, result: ResultRow): string {
  return result.entered_team_id === match.home_team_id ? match.away_team_id : match.home_team_id;
}

function teamName(match: MatchRow, teamId: string | null): string {
  return teamId === match.home_team_id ? match.home_name : match.away_name;
}

/** 403 unless the user captains `team`; their standing otherwise, for the answer. */
async function assertCaptainOf(
  tx: Tx,
  match: MatchRow,
  team: string,
  verb: string,
): Promise<Access> {
  const access = await repo.access(tx, match);
  const captain = team === match.home_team_id ? access.home : access.away;
  if (!captain) {
    const entered = team === match.home_team_id ? access.away : access.home;
    throw forbidden(
      entered
        ? `Your team entered this result: ${teamName(match, team)}'s captain ${verb} it.`
        : `Only ${teamName(match, team)}'s captain ${verb} this result.`,
    );
  }
  return access;
}

/** 403 unless the user organizes the match's league; their standing otherwise. */
async function assertOrganizer(tx: Tx, match: MatchRow, what: string): Promise<Access> {
  const access = await repo.access(tx, match);
  if (!access.organizer) throw forbidden(`Only the league's organizers ${what}.`);
  return access;
}

/** `GET /api/matches/:id/result`: the result, what the user may do with it, and its history. */
export async function viewResult(
  tx: Tx,
  user: SessionUser | null,
  matchId: string,
): Promise<MatchResult> {
  return resultView(tx, user, await visibleMatch(tx, matchId));
}
