import type { FieldError } from '../schemas/problem';
import type { MatchFormat } from '../schemas/leagues';
import type { LineupLine } from '../schemas/availability';

/**
 * Checks a lineup against the league's format and the team's roster: every line exists in the
 * format and is listed once, singles take one player and doubles two, every player is on the
 * roster, and nobody plays two lines. Returns one error per problem, naming where it is.
 * A lineup may leave lines empty (not chosen yet).
 */
export function lineupErrors(
  lines: readonly LineupLine[],
  format: MatchFormat,
  roster: ReadonlySet<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const counts = new Map(format.lines.map((g) => [g.kind, g.count]));
  const seenLines = new Set<string>();
  const seenPlayers = new Set<string>();
  lines.forEach((l, i) => {
    const where = `lines.${i}`;
    const count = counts.get(l.kind) ?? 0;
    if (l.line > count) {
      errors.push({
        field: `${where}.line`,
        message:
          count === 0
            ? `This league plays no ${l.kind}`
            : `This league plays ${count} ${l.kind} line${count === 1 ? '' : 's'}`,
      });
    }
    const key = `${l.kind}:${l.line}`;
    if (seenLines.has(key))
      errors.push({ field: `${where}.line`, message: 'This line is listed twice' });
    seenLines.add(key);
    const needed = l.kind === 'singles' ? 1 : 2;
    if (l.players.length !== needed) {
      errors.push({
        field: `${where}.players`,
        message: `${l.kind === 'singles' ? 'Singles take one player' : 'Doubles take two players'}`,
      });
    }
    l.players.forEach((p, j) => {
      if (!roster.has(p)) {
        errors.push({ field: `${where}.players.${j}`, message: 'Not on this team' });
      } else if (seenPlayers.has(p)) {
        errors.push({ field: `${where}.players.${j}`, message: 'Already plays another line' });
      }
      seenPlayers.add(p);
    });
  });
  return errors;
}
