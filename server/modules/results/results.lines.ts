import type { z } from 'zod';
import {
  checkLineScore,
  teamMatchResult,
  type LineResult,
  type TeamMatchTotals as Totals,
} from '#domain/rules/scoring';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { FieldError } from '#domain/schemas/problem';
import type { LineEntry } from '#domain/schemas/results';
import type { Tx } from '../../db/database';
import { badRequest } from '../../plugins/problem';
import type { MatchRow } from '../matches';
import { resultsRepository as repo } from './results.repository';

type Entry = z.output<typeof LineEntry>;

/** A line as stored in `match_results.lines`: who played, the score, and what it credits. */
export interface StoredLine {
  kind: 'singles' | 'doubles';
  line: number;
  homePlayers: string[];
  awayPlayers: string[];
  result: LineResult;
}

export interface Checked {
  lines: StoredLine[];
  totals: Totals;
}

/**
 * Checks a whole team match as entered: every line of the league's format exactly once, the
 * right number of players from each team's roster with nobody on two lines, and each score
 * against the format. All problems are reported at once, each at its field.
 */
export async function checkLines(
  tx: Tx,
  match: MatchRow,
  format: MatchFormat,
  entries: readonly Entry[],
  field = 'lines',
): Promise<Checked> {
  const errors: FieldError[] = [];
  const roster = await repo.roster(tx, [match.homeTeamId, match.awayTeamId]);
  const onTeam = (team: string, user: string) =>
    roster.some((m) => m.teamId === team && m.userId === user);
  const expected = new Map<string, number>();
  for (const group of format.lines) {
    for (let n = 1; n <= group.count; n++) expected.set(`${group.kind}:${n}`, 0);
  }
  const seen = new Map<string, number>();
  const lines: StoredLine[] = [];

  entries.forEach((entry, i) => {
    const at = (...rest: (string | number)[]) => [field, i, ...rest].join('.');
    const key = `${entry.kind}:${entry.line}`;
    const count = expected.get(key);
    if (count === undefined) {
      errors.push({
        field: at('line'),
        message: `This league plays no ${entry.kind} line ${entry.line}`,
      });
      return;
    }
    if (count > 0) {
      errors.push({ field: at('line'), message: `${label(entry)} is entered twice` });
      return;
    }
    expected.set(key, 1);
    const score = checkLineScore(format, {
      outcome: entry.outcome,
      sets: entry.sets,
      winner: entry.winner ?? null,
    });
    if (!score.ok) {
      for (const p of score.problems) errors.push({ field: at(...p.path), message: p.message });
    }
    const size = entry.kind === 'singles' ? 1 : 2;
    const forfeit = entry.outcome === 'walkover' || entry.outcome === 'default';
    for (const side of ['home', 'away'] as const) {
      const players = side === 'home' ? entry.homePlayers : entry.awayPlayers;
      const team = side === 'home' ? match.homeTeamId : match.awayTeamId;
      const teamName = side === 'home' ? match.homeName : match.awayName;
      // A side that did not turn up (it lost the walkover or default) may name nobody.
      const mayBeEmpty = forfeit && score.ok && score.result.winner !== side;
      if (players.length !== size && !(mayBeEmpty && players.length === 0)) {
        errors.push({
          field: at(`${side}Players`),
          message: `${label(entry)} needs ${size === 1 ? 'one player' : 'two players'} from ${teamName}`,
        });
      }
      players.forEach((user, seat) => {
        if (!onTeam(team, user)) {
          errors.push({
            field: at(`${side}Players`, seat),
            message: `This player is not on ${teamName}'s roster`,
          });
        }
        const other = seen.get(user);
        if (other !== undefined) {
          errors.push({
            field: at(`${side}Players`, seat),
            message: `This player is already on line ${other + 1} of this match`,
          });
        } else {
          seen.set(user, i);
        }
      });
    }
    if (score.ok) {
      lines.push({
        kind: entry.kind,
        line: entry.line,
        homePlayers: [...entry.homePlayers],
        awayPlayers: [...entry.awayPlayers],
        result: score.result,
      });
    }
  });
  for (const [key, count] of expected) {
    if (count === 0) {
      const [kind, line] = key.split(':');
      errors.push({ field, message: `Enter ${kind} line ${line} too: every line of the match` });
    }
  }
  if (errors.length > 0) {
    throw badRequest(
      `The score has ${errors.length === 1 ? 'a problem' : 'problems'}: ${errors[0]?.message}.`,
      errors,
    );
  }
  lines.sort((a, b) => (a.kind === b.kind ? a.line - b.line : a.kind === 'singles' ? -1 : 1));
  return {
    lines,
    totals: teamMatchResult(
      format,
      lines.map((l) => l.result),
    ),
  };
}

const label = (l: { kind: string; line: number }) =>
  `${l.kind === 'singles' ? 'Singles' : 'Doubles'} line ${l.line}`;

/** The lines of a stored result (`match_results.lines`). */
export function storedOf(row: { lines: unknown }): StoredLine[] {
  return row.lines as StoredLine[];
}
