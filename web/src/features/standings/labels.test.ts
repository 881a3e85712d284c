import { describe, expect, it } from 'vitest';
import type { Standings } from '#domain/schemas/standings';
import { DEFAULT_STANDINGS_RULES_INPUT } from '#domain/schemas/standings';
import { pointsRule, tiebreakNotes } from './labels';

function row(
  name: string,
  rank: number,
  points: number,
  decidedBy: Standings['rows'][number]['decidedBy'],
) {
  return {
    rank,
    team: { id: `00000000-0000-4000-8000-00000000000${rank}`, name },
    played: 2,
    won: 1,
    lost: 1,
    tied: 0,
    points,
    linesWon: 5,
    linesLost: 5,
    setsWon: 10,
    setsLost: 10,
    gamesWon: 60,
    gamesLost: 60,
    forfeits: 0,
    linesPct: 0.5,
    setsPct: 0.5,
    gamesPct: 0.5,
    decidedBy,
  };
}

describe('standings notes', () => {
  it('name the tiebreaker that put a team above the next one, not points', () => {
    const rows = [
      row('Aces', 1, 4, 'head_to_head'),
      row('Lobbers', 2, 4, 'points'),
      row('Smashers', 3, 2, 'games_pct'),
      row('Netters', 4, 2, null),
    ];
    expect(tiebreakNotes(rows)).toEqual([
      'Aces are above Lobbers on head-to-head results between them.',
      'Smashers are above Netters on share of games won.',
    ]);
  });

  it('say how points are given', () => {
    expect(pointsRule(DEFAULT_STANDINGS_RULES_INPUT)).toBe(
      '2 points for a team match won, 1 for a tie, 0 for a loss',
    );
  });
});
