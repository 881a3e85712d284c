import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchResult, ResultEntryInput } from '#domain/schemas/results';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import { api, matchTodayWithApi, rowCells } from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** One singles line, best of three with a match tiebreak: the captains play it. */
const FORMAT = {
  lines: [{ kind: 'singles' as const, count: 1 }],
  bestOfSets: 3 as const,
  gamesPerSet: 6,
  tiebreakAt: 6,
  finalSet: 'match_tiebreak' as const,
  noAd: false,
  teamMatchWinner: 'lines' as const,
};

describe('dispute journey', () => {
  it('the other captain disputes with a counter-proposal and the organizer settles it', async () => {
    const contexts = await Promise.all([0, 1, 2].map(() => harness.newContext()));
    try {
      const [organizer, home, away] = await Promise.all(contexts.map((c) => c.newPage()));
      if (!organizer || !home || !away) throw new Error('pages');
      const { leagueId, divisionId, homeTeam, awayTeam, match } = await matchTodayWithApi(
        harness,
        { organizer, home, away },
        { prefix: 'e2e-dis', league: 'Dispute League', format: FORMAT },
      );
      const hanaId = homeTeam.members[0]?.userId as string;
      const abeId = awayTeam.members[0]?.userId as string;
      const entry = (sets: { home: number; away: number }[]): ResultEntryInput => ({
        lines: [
          {
            kind: 'singles',
            line: 1,
            homePlayers: [hanaId],
            awayPlayers: [abeId],
            outcome: 'completed',
            sets,
          },
        ],
      });
      // The home captain's score is set-up here; the journey is about what the others do with it.
      await api<MatchResult>(
        home,
        'PUT',
        `/api/matches/${match.id}/result`,
        entry([
          { home: 6, away: 4 },
          { home: 6, away: 4 },
        ]),
      );

      // The away captain opens the match while the home captain re-enters the score: the stale
      // confirmation is refused (412) and the current score shown instead.
      await away.goto(`/matches/${match.id}`);
      await away.getByRole('button', { name: 'Confirm the result' }).waitFor();
      await api<MatchResult>(
        home,
        'PUT',
        `/api/matches/${match.id}/result`,
        entry([
          { home: 6, away: 4 },
          { home: 6, away: 3 },
        ]),
      );
      await away.getByRole('button', { name: 'Confirm the result' }).click();
      await away.getByText('This result changed while you were looking at it').waitFor();
      const entered = away.getByRole('table', { name: 'Entered result' });
      await entered.getByText('6-4 6-3').waitFor();

      // Abe disputes it: his version and why.
      await away.getByRole('button', { name: 'Dispute it' }).click();
      // The form starts from the entered score; he changes the first set and adds the tiebreak.
      await away.getByLabel('Singles line 1, set 1, home games').fill('4');
      await away.getByLabel('Singles line 1, set 1, away games').fill('6');
      await away.getByLabel('Singles line 1, match tiebreak, home points').fill('7');
      await away.getByLabel('Singles line 1, match tiebreak, away points').fill('10');
      // The comment is required: the error is shown at the field first.
      await away.getByRole('button', { name: 'Send the dispute' }).click();
      await away
        .getByRole('alert')
        .filter({ hasText: 'Please fix' })
        .getByRole('link', { name: /^Why the entered score is wrong:/ })
        .waitFor();
      await away
        .getByLabel('Why the entered score is wrong')
        .fill('We won the first set 6-4 and the match tiebreak 10-7');
      await away.getByRole('button', { name: 'Send the dispute' }).click();
      await away.getByText('Disputed', { exact: true }).first().waitFor();
      const theirs = away.getByRole('table', { name: 'Entered by Home Hitters' });
      const mine = away.getByRole('table', { name: 'Proposed by Away Aces (dispute)' });
      expect((await rowCells(theirs, 'Singles line 1'))[3]).toBe('6-4 6-3');
      expect((await rowCells(mine, 'Singles line 1'))[3]).toBe('4-6 6-3 [7-10]');
      expect(await seriousA11yViolations(away)).toEqual([]);

      // The home captain sees the dispute side by side and can no longer change the score.
      await home.goto(`/matches/${match.id}`);
      await home
        .getByText('We won the first set 6-4 and the match tiebreak 10-7')
        .first()
        .waitFor();
      expect(await home.getByRole('button', { name: 'Re-enter the score' }).count()).toBe(0);

      // The organizer settles it with the counter-proposal and a decision.
      await organizer.goto(`/matches/${match.id}`);
      await organizer.getByRole('button', { name: 'Settle the result' }).click();
      expect(
        await organizer.getByLabel('Singles line 1, match tiebreak, away points').inputValue(),
      ).toBe('10');
      await organizer.getByLabel('Decision').fill('Score sheet checked: Away Aces won');
      expect(await seriousA11yViolations(organizer)).toEqual([]);
      await organizer.getByRole('button', { name: 'Settle with this score' }).click();
      await organizer.getByText('Final', { exact: true }).waitFor();
      const final = organizer.getByRole('table', { name: 'Final result' });
      expect(await rowCells(final, 'Singles line 1')).toEqual([
        'Singles line 1',
        'Hana Home',
        'Abe Away ✓ (won)',
        '4-6 6-3 [7-10]',
      ]);
      const history = organizer.getByRole('list', { name: 'Result history' });
      const steps = await history.locator('.result-history__kind').allTextContents();
      expect(steps).toEqual([
        'Score entered',
        'Score entered again',
        'Disputed',
        'Settled by the organizer',
      ]);
      await history.getByText('Score sheet checked: Away Aces won').waitFor();
      expect(await seriousA11yViolations(organizer)).toEqual([]);

      // The settled result counts: Away Aces top the division.
      await organizer.goto(`/leagues/${leagueId}/divisions/${divisionId}`);
      const table = organizer.getByRole('table', { name: 'Standings of Open' });
      expect((await rowCells(table, 'Away Aces')).slice(0, 7)).toEqual([
        '1',
        'Away Aces',
        '1',
        '1',
        '0',
        '0',
        '2',
      ]);
      // A final result is locked; the organizer may still correct it, with a reason.
      await organizer.goto(`/matches/${match.id}`);
      await organizer.getByRole('button', { name: 'Correct the result' }).click();
      await organizer.getByLabel('Singles line 1, match tiebreak, home points').fill('8');
      await organizer.getByLabel('Reason').fill('Typo in the tiebreak: it was 10-8');
      await organizer.getByRole('button', { name: 'Correct the result' }).click();
      await organizer
        .getByRole('list', { name: 'Result history' })
        .getByText('Typo in the tiebreak: it was 10-8')
        .waitFor();
      expect(
        (
          await rowCells(organizer.getByRole('table', { name: 'Final result' }), 'Singles line 1')
        )[3],
      ).toBe('4-6 6-3 [8-10]');
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  }, 150_000);
});
