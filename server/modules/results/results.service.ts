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
  if (match.matchDate > todayIn(match.timeZone)) {
    throw conflict(`This match is on ${match.matchDate}: enter its result from that day.`);
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
  const league = await repo.rules(tx, match.leagueId);
  const checked = await checkLines(tx, match, league.format, input.lines);
  const existing = await repo.find(tx, matchId);
  const now = new Date();
  const confirmBy = new Date(now.getTime() + league.resultConfirmHours * HOUR_MS);
  if (!existing) {
    const team = access.home ? match.homeTeamId : match.awayTeamId;
    await repo.insert(tx, {
      matchId,
      divisionId: match.divisionId,
      status: 'pending',
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      enteredTeamId: team,
      enteredBy: user.id,
      confirmBy,
    });
    await record(tx, match, 'entered', user.id, team, null, checked);
    return resultView(tx, user, match, access);
  }
  assertNotDecided(existing);
  const enteredTeam = existing.enteredTeamId;
  const mine =
    (enteredTeam === match.homeTeamId && access.home) ||
    (enteredTeam === match.awayTeamId && access.away);
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
      enteredBy: user.id,
      enteredAt: now,
      confirmBy,
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
      decidedHow: 'confirmed',
      decidedBy: user.id,
      decidedAt: new Date(),
      confirmBy: null,
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
  const league = await repo.rules(tx, match.leagueId);
  const checked = await checkLines(tx, match, league.format, input.lines);
  await changeOr412(
    tx,
    user,
    match,
    ['pending'],
    {
      status: 'disputed',
      disputeTeamId: other,
      disputeComment: input.comment,
      disputeLines: JSON.stringify(checked.lines),
      disputeTotals: JSON.stringify(checked.totals),
      disputedAt: new Date(),
      confirmBy: null,
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
  const league = await repo.rules(tx, match.leagueId);
  const checked = await checkLines(tx, match, league.format, input.lines);
  const existing = await repo.find(tx, matchId);
  const decided = { decidedHow: 'settled' as const, decidedBy: user.id, decidedAt: new Date() };
  if (!existing) {
    await repo.insert(tx, {
      matchId,
      divisionId: match.divisionId,
      status: 'final',
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      enteredTeamId: null,
      enteredBy: user.id,
      confirmBy: null,
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
        confirmBy: null,
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
  const league = await repo.rules(tx, match.leagueId);
  const checked = await checkLines(tx, match, league.format, input.lines);
  await changeOr412(
    tx,
    user,
    match,
    ['final'],
    {
      lines: JSON.stringify(checked.lines),
      totals: JSON.stringify(checked.totals),
      decidedHow: 'corrected',
      decidedBy: user.id,
      decidedAt: new Date(),
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
  const league = await repo.rules(tx, match.leagueId);
  const checked = await checkLines(
    tx,
    match,
    league.format,
    entries.map((e) => LineEntry.parse(e)),
  );
  await repo.insert(tx, {
    matchId,
    divisionId: match.divisionId,
    status: 'final',
    lines: JSON.stringify(checked.lines),
    totals: JSON.stringify(checked.totals),
    enteredTeamId: match.homeTeamId,
    enteredBy: by.enteredBy,
    enteredAt: by.enteredAt,
    confirmBy: null,
    decidedHow: 'confirmed',
    decidedBy: by.confirmedBy,
    decidedAt: by.confirmedAt,
  });
  const event = { matchId: match.id, divisionId: match.divisionId, comment: null };
  await repo.record(tx, {
    ...event,
    kind: 'entered',
    actorId: by.enteredBy,
    teamId: match.homeTeamId,
    lines: JSON.stringify(checked.lines),
    totals: JSON.stringify(checked.totals),
    at: by.enteredAt,
  });
  await repo.record(tx, {
    ...event,
    kind: 'confirmed',
    actorId: by.confirmedBy,
    teamId: match.awayTeamId,
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
  for (const { matchId } of due) {
    const done = await db.system.transaction().execute(async (tx) => {
      const row = await repo.lockPending(tx, matchId, now);
      if (!row) return false;
      const match = await findMatch(tx, matchId);
      if (!match) return false;
      await repo.update(tx, matchId, ['pending'], {
        status: 'final',
        decidedHow: 'auto_confirmed',
        decidedBy: null,
        decidedAt: now,
        confirmBy: null,
      });
      await repo.record(tx, {
        matchId,
        divisionId: match.divisionId,
        kind: 'auto_confirmed',
        actorId: null,
        teamId: null,
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
  const league = await repo.rules(tx, match.leagueId);
  await asSystem(tx, async (owner) => {
    await repo.replaceLines(
      owner,
      match,
      { home: match.homeTeamId, away: match.awayTeamId },
      lines.map((l): FinalLineRow => ({
        kind: l.kind,
        line: l.line,
        outcome: l.result.outcome,
        winner: l.result.winner,
        sets: JSON.stringify(l.result.sets),
        setsHome: l.result.setsHome,
        setsAway: l.result.setsAway,
        gamesHome: l.result.gamesHome,
        gamesAway: l.result.gamesAway,
        text: l.result.text,
        rated: l.result.rated,
        ratingGamesHome: l.result.ratingGames?.home ?? null,
        ratingGamesAway: l.result.ratingGames?.away ?? null,
        homePlayers: l.homePlayers,
        awayPlayers: l.awayPlayers,
      })),
    );
    await markPlayed(owner, match.id);
    if (!options.rate) return;
    await rerateFrom(owner, {
      sport: ratingSportKey(league.sport, league.customSport),
      matchDate: match.matchDate,
      startTime: match.startTime,
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
    matchId: match.id,
    divisionId: match.divisionId,
    kind,
    actorId: actor,
    teamId: team,
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
  return result.enteredTeamId === match.homeTeamId ? match.awayTeamId : match.homeTeamId;
}

function teamName(match: MatchRow, teamId: string | null): string {
  return teamId === match.homeTeamId ? match.homeName : match.awayName;
}

/** 403 unless the user captains `team`; their standing otherwise, for the answer. */
async function assertCaptainOf(
  tx: Tx,
  match: MatchRow,
  team: string,
  verb: string,
): Promise<Access> {
  const access = await repo.access(tx, match);
  const captain = team === match.homeTeamId ? access.home : access.away;
  if (!captain) {
    const entered = team === match.homeTeamId ? access.away : access.home;
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
