import type { MatchFormat } from '#domain/schemas/leagues';
import type { FieldError } from '#domain/schemas/problem';
import {
  ResultEntryInput,
  type LineEntry,
  type LineKind,
  type LineOutcome,
  type LineView,
  type TeamSide,
} from '#domain/schemas/results';
import { checkLineScore } from '#domain/rules/scoring';
import { validate, type FieldTarget } from '../../lib/forms';
import { lineName } from './labels';

/** One set's boxes as typed. */
export interface SetDraft {
  home: string;
  away: string;
  tiebreak: string;
}

/** One line of the score form: player picks, how it ended, set boxes, the winner if not played out. */
export interface LineDraft {
  kind: LineKind;
  line: number;
  home: string[];
  away: string[];
  outcome: LineOutcome;
  sets: SetDraft[];
  winner: TeamSide | '';
}

/** The lines of a team match under the league's format: singles first, then doubles. */
export function formatLines(format: MatchFormat): { kind: LineKind; line: number }[] {
  const order: LineKind[] = ['singles', 'doubles'];
  return order.flatMap((kind) => {
    const count = format.lines.find((g) => g.kind === kind)?.count ?? 0;
    return Array.from({ length: count }, (_, i) => ({ kind, line: i + 1 }));
  });
}

const emptySet = (): SetDraft => ({ home: '', away: '', tiebreak: '' });

/** Seats per side of a line. */
export const seats = (kind: LineKind) => (kind === 'doubles' ? 2 : 1);

/**
 * The form's starting lines: from a result being re-entered, disputed or corrected when there is
 * one, else empty lines with the players the lineups (or nothing) suggest.
 */
export function initialDrafts(
  format: MatchFormat,
  from: readonly LineView[] | null,
  suggested: (side: TeamSide, kind: LineKind, line: number) => string[] = () => [],
): LineDraft[] {
  return formatLines(format).map(({ kind, line }) => {
    const view = from?.find((l) => l.kind === kind && l.line === line);
    const sets = Array.from({ length: format.bestOfSets }, (_, i) => {
      const s = view?.sets[i];
      return s
        ? {
            home: String(s.home),
            away: String(s.away),
            tiebreak: s.tiebreak == null ? '' : String(s.tiebreak),
          }
        : emptySet();
    });
    const fill = (ids: string[]) =>
      Array.from({ length: seats(kind) }, (_, j) => ids[j] ?? '').slice(0, seats(kind));
    return {
      kind,
      line,
      home: fill(view ? view.homePlayers.map((p) => p.id) : suggested('home', kind, line)),
      away: fill(view ? view.awayPlayers.map((p) => p.id) : suggested('away', kind, line)),
      outcome: view?.outcome ?? 'completed',
      sets,
      winner: view && view.outcome !== 'completed' ? view.winner : '',
    };
  });
}

/** A typed count, or NaN so that the schema reports it; empty stays undefined. */
function toCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The API's lines for the drafts: empty trailing sets are left out, a walkover has none. */
export function entriesFrom(drafts: readonly LineDraft[]): LineEntry[] {
  return drafts.map((d) => {
    const typed = d.sets.map((s) => ({
      home: toCount(s.home),
      away: toCount(s.away),
      tiebreak: toCount(s.tiebreak) ?? null,
    }));
    let last = typed.length;
    while (last > 0) {
      const s = typed[last - 1];
      if (s && (s.home !== undefined || s.away !== undefined || s.tiebreak !== null)) break;
      last--;
    }
    return {
      kind: d.kind,
      line: d.line,
      homePlayers: d.home.filter(Boolean),
      awayPlayers: d.away.filter(Boolean),
      outcome: d.outcome,
      sets: d.outcome === 'walkover' ? [] : (typed.slice(0, last) as LineEntry['sets']),
      winner: d.outcome === 'completed' ? null : d.winner || null,
    };
  });
}

/** Whether the deciding set of a line is a match tiebreak (first to 10 points). */
export function isMatchTiebreakSet(format: MatchFormat, index: number): boolean {
  return (
    format.finalSet === 'match_tiebreak' &&
    format.bestOfSets >= 3 &&
    index === format.bestOfSets - 1
  );
}

/** Whether a set as typed was decided by a tiebreak (7-6 at 6 all), so its points are asked for. */
export function needsTiebreak(format: MatchFormat, set: SetDraft, index: number): boolean {
  if (set.tiebreak.trim() !== '') return true;
  if (format.tiebreakAt === null || isMatchTiebreakSet(format, index)) return false;
  const h = toCount(set.home);
  const a = toCount(set.away);
  if (h === undefined || a === undefined) return false;
  const t = format.tiebreakAt;
  return (h === t + 1 && a === t) || (a === t + 1 && h === t);
}

/** Element ids of the form's fields, unique per form (`prefix`). */
export function fieldIds(prefix: string) {
  const line = (i: number) => `${prefix}-line-${i}`;
  return {
    line,
    player: (i: number, side: TeamSide, j: number) => `${line(i)}-${side}-${j}`,
    outcome: (i: number) => `${line(i)}-outcome`,
    set: (i: number, j: number, side: TeamSide | 'tiebreak') => `${line(i)}-set-${j}-${side}`,
    winner: (i: number) => `${line(i)}-winner`,
    note: `${prefix}-note`,
  };
}

/** The accessible names of the set boxes: "Singles line 1, set 2, home games". */
export function boxLabel(
  format: MatchFormat,
  kind: LineKind,
  line: number,
  index: number,
  side: TeamSide | 'tiebreak',
): string {
  const where = `${lineName(kind, line)}, ${
    isMatchTiebreakSet(format, index) ? 'match tiebreak' : `set ${index + 1}`
  }`;
  if (side === 'tiebreak') return `${where}, tiebreak points of the loser`;
  return `${where}, ${side} ${isMatchTiebreakSet(format, index) ? 'points' : 'games'}`;
}

export function playerLabel(kind: LineKind, line: number, side: TeamSide, j: number): string {
  return `${lineName(kind, line)}, ${side} player${kind === 'doubles' ? ` ${j + 1}` : ''}`;
}

/** Zod's wording for a missing or malformed number, in words a person uses. */
function friendlier(message: string): string | undefined {
  if (/expected number, received (undefined|NaN)/i.test(message)) return 'Enter the games';
  if (/received NaN/i.test(message)) return 'Enter a whole number';
  return undefined;
}

/**
 * Places the errors of a score (the client's checks or a 400's `errors`, paths like
 * `lines.1.sets.0.away`) at their field, like the team sheet does per seat. An error about a box
 * that is not shown (a tiebreak on a set that no longer looks like one) goes to the set's first box.
 */
export function locateScoreField(
  format: MatchFormat,
  drafts: readonly LineDraft[],
  prefix: string,
  noteLabel: string | null,
) {
  const ids = fieldIds(prefix);
  return (field: string, message: string): FieldTarget | null => {
    if ((field === 'comment' || field === 'reason') && noteLabel) {
      return { targetId: ids.note, label: noteLabel };
    }
    const m = /^lines\.(\d+)(?:\.([A-Za-z]+)(?:\.(\d+)(?:\.([A-Za-z]+))?)?)?/.exec(field);
    if (!m) return null;
    const i = Number(m[1]);
    const draft = drafts[i];
    if (!draft) return null;
    const { kind, line } = draft;
    const name = lineName(kind, line);
    const part = m[2];
    const j = m[3] === undefined ? 0 : Number(m[3]);
    if (part === 'homePlayers' || part === 'awayPlayers') {
      const side: TeamSide = part === 'homePlayers' ? 'home' : 'away';
      const seat = Math.min(j, seats(kind) - 1);
      const missing = /too small|at least|expected array/i.test(message);
      return {
        targetId: ids.player(i, side, seat),
        label: playerLabel(kind, line, side, seat),
        message: missing ? 'Choose who played' : undefined,
      };
    }
    if (part === 'outcome') return { targetId: ids.outcome(i), label: `${name}, how it ended` };
    if (part === 'winner') return { targetId: ids.winner(i), label: `${name}, winner` };
    if (part === 'sets') {
      if (draft.outcome === 'walkover')
        return { targetId: ids.outcome(i), label: `${name}, how it ended` };
      const set = Math.min(j, format.bestOfSets - 1);
      let side = (m[4] as TeamSide | 'tiebreak' | undefined) ?? 'home';
      if (side === 'tiebreak' && !needsTiebreak(format, draft.sets[set] ?? emptySet(), set))
        side = 'home';
      if (side !== 'home' && side !== 'away' && side !== 'tiebreak') side = 'home';
      return {
        targetId: ids.set(i, set, side),
        label: m[3] === undefined ? `${name}, sets` : boxLabel(format, kind, line, set, side),
        message: friendlier(message),
      };
    }
    return { targetId: ids.line(i), label: name };
  };
}

/**
 * Checks a score before it is sent (or queued): the shared schema, then each line against the
 * league's format with the same rules as the server (`domain/rules/scoring`), and the players.
 */
export function checkScore(
  format: MatchFormat,
  drafts: readonly LineDraft[],
  extra: Record<string, unknown> = {},
  schema: { safeParse: (input: unknown) => unknown } = ResultEntryInput,
): { ok: true; lines: LineEntry[] } | { ok: false; errors: FieldError[] } {
  const lines = entriesFrom(drafts);
  const errors: FieldError[] = [];
  const parsed = validate(schema as typeof ResultEntryInput, { ...extra, lines });
  if (!parsed.ok) errors.push(...parsed.errors);
  const used = new Map<string, string>();
  lines.forEach((entry, i) => {
    const draft = drafts[i];
    if (!draft) return;
    for (const side of ['home', 'away'] as const) {
      const picks = side === 'home' ? draft.home : draft.away;
      picks.forEach((id, j) => {
        const field = `lines.${i}.${side}Players.${j}`;
        if (!id) {
          errors.push({ field, message: 'Choose who played' });
          return;
        }
        const seen = used.get(id);
        if (seen) errors.push({ field, message: `Already playing ${seen}` });
        else used.set(id, lineName(draft.kind, draft.line));
      });
    }
    const checked = checkLineScore(format, {
      outcome: entry.outcome ?? 'completed',
      sets: (entry.sets ?? []).map((s) => ({
        home: s.home as number,
        away: s.away as number,
        tiebreak: s.tiebreak ?? null,
      })),
      winner: entry.winner ?? null,
    });
    if (!checked.ok) {
      for (const problem of checked.problems) {
        errors.push({ field: ['lines', i, ...problem.path].join('.'), message: problem.message });
      }
    }
  });
  return errors.length === 0 ? { ok: true, lines } : { ok: false, errors };
}
