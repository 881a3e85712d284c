import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '../schemas/leagues';
import { lineupErrors } from './lineup';

const roster = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);

describe('lineup rules', () => {
  it('accepts a full lineup of the format, and a partial one', () => {
    const full = [
      { kind: 'singles' as const, line: 1, players: ['a'] },
      { kind: 'singles' as const, line: 2, players: ['b'] },
      { kind: 'doubles' as const, line: 1, players: ['c', 'd'] },
      { kind: 'doubles' as const, line: 2, players: ['e', 'f'] },
      { kind: 'doubles' as const, line: 3, players: ['g', 'h'] },
    ];
    expect(lineupErrors(full, DEFAULT_MATCH_FORMAT, roster)).toEqual([]);
    expect(lineupErrors(full.slice(0, 2), DEFAULT_MATCH_FORMAT, roster)).toEqual([]);
  });

  it('names a line the format does not have, a line given twice, and the wrong number of players', () => {
    const errors = lineupErrors(
      [
        { kind: 'singles', line: 3, players: ['a'] },
        { kind: 'doubles', line: 1, players: ['b'] },
        { kind: 'doubles', line: 1, players: ['c', 'd'] },
      ],
      DEFAULT_MATCH_FORMAT,
      roster,
    );
    expect(errors).toEqual([
      { field: 'lines.0.line', message: 'This league plays 2 singles lines' },
      { field: 'lines.1.players', message: 'Doubles take two players' },
      { field: 'lines.2.line', message: 'This line is listed twice' },
    ]);
  });

  it('refuses a player twice and a player from outside the roster', () => {
    const errors = lineupErrors(
      [
        { kind: 'singles', line: 1, players: ['a'] },
        { kind: 'doubles', line: 1, players: ['a', 'zed'] },
      ],
      DEFAULT_MATCH_FORMAT,
      roster,
    );
    expect(errors).toEqual([
      { field: 'lines.1.players.0', message: 'Already plays another line' },
      { field: 'lines.1.players.1', message: 'Not on this team' },
    ]);
  });

  it('says when a league plays no lines of a kind', () => {
    const doublesOnly = {
      ...DEFAULT_MATCH_FORMAT,
      lines: [{ kind: 'doubles' as const, count: 3 }],
    };
    expect(
      lineupErrors([{ kind: 'singles', line: 1, players: ['a'] }], doublesOnly, roster),
    ).toEqual([{ field: 'lines.0.line', message: 'This league plays no singles' }]);
  });
});
