import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { placeErrors } from '../../lib/forms';
import {
  boxLabel,
  checkScore,
  entriesFrom,
  initialDrafts,
  locateScoreField,
  needsTiebreak,
} from './scoreFormModel';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const singlesOnly = { ...DEFAULT_MATCH_FORMAT, lines: [{ kind: 'singles' as const, count: 1 }] };

function oneLine(sets: [string, string][], players: [string, string] = [A, B]) {
  const [draft] = initialDrafts(singlesOnly, null);
  if (!draft) throw new Error('no line');
  return [
    {
      ...draft,
      home: [players[0]],
      away: [players[1]],
      sets: draft.sets.map((s, i) => (sets[i] ? { ...s, home: sets[i][0], away: sets[i][1] } : s)),
    },
  ];
}

describe('the score form model', () => {
  it('has one line per line of the format and a box per set, and names each box', () => {
    const drafts = initialDrafts(DEFAULT_MATCH_FORMAT, null);
    expect(drafts.map((d) => `${d.kind} ${d.line}`)).toEqual([
      'singles 1',
      'singles 2',
      'doubles 1',
      'doubles 2',
      'doubles 3',
    ]);
    expect(drafts[2]?.home).toEqual(['', '']);
    expect(drafts[0]?.sets).toHaveLength(3);
    expect(boxLabel(DEFAULT_MATCH_FORMAT, 'singles', 1, 1, 'home')).toBe(
      'Singles line 1, set 2, home games',
    );
    expect(boxLabel(DEFAULT_MATCH_FORMAT, 'doubles', 2, 2, 'away')).toBe(
      'Doubles line 2, match tiebreak, away points',
    );
  });

  it('sends the typed sets without the empty ones, and asks for tiebreak points only at 7-6', () => {
    const drafts = oneLine([
      ['6', '3'],
      ['7', '6'],
    ]);
    expect(entriesFrom(drafts)[0]?.sets).toEqual([
      { home: 6, away: 3, tiebreak: null },
      { home: 7, away: 6, tiebreak: null },
    ]);
    expect(needsTiebreak(singlesOnly, { home: '7', away: '6', tiebreak: '' }, 1)).toBe(true);
    expect(needsTiebreak(singlesOnly, { home: '7', away: '5', tiebreak: '' }, 1)).toBe(false);
    expect(checkScore(singlesOnly, drafts).ok).toBe(true);
  });

  it('places a bad set at its box and a missing player at the seat', () => {
    const drafts = oneLine(
      [
        ['6', '3'],
        ['6', '5'],
      ],
      [A, ''],
    );
    const checked = checkScore(singlesOnly, drafts);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const placed = placeErrors(
      checked.errors,
      locateScoreField(singlesOnly, drafts, 'score', null),
    );
    expect(placed.map((e) => [e.targetId, e.label])).toEqual(
      expect.arrayContaining([
        ['score-line-0-away-0', 'Singles line 1, away player'],
        ['score-line-0-set-1-home', 'Singles line 1, set 2, home games'],
      ]),
    );
    // A server path names the box: `lines.0.sets.1.away`.
    const server = placeErrors(
      [{ field: 'lines.0.sets.1.away', message: 'Not a score' }],
      locateScoreField(singlesOnly, drafts, 'score', null),
    );
    expect(server[0]).toMatchObject({
      targetId: 'score-line-0-set-1-away',
      label: 'Singles line 1, set 2, away games',
      message: 'Not a score',
    });
  });

  it('refuses the same player on two lines', () => {
    const drafts = initialDrafts(DEFAULT_MATCH_FORMAT, null)
      .slice(0, 2)
      .map((d) => ({
        ...d,
        home: [A],
        away: [B],
        sets: d.sets.map((s, i) => (i < 2 ? { ...s, home: '6', away: '0' } : s)),
      }));
    const checked = checkScore(
      { ...DEFAULT_MATCH_FORMAT, lines: [{ kind: 'singles', count: 2 }] },
      drafts,
    );
    expect(!checked.ok && checked.errors.map((e) => e.field)).toEqual([
      'lines.1.homePlayers.0',
      'lines.1.awayPlayers.0',
    ]);
  });
});
