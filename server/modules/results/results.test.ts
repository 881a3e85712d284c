import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import {
  buildResultsLeague,
  confirmedResult,
  pastMatch,
  score,
  smallResult,
  type League,
} from '../../test/results-factory';

/** The value, or a failed test saying what was missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/** Score entry, confirmation, disputes, settlement and correction, with ratings (issue #6). */
describe.each(TEST_DATABASES)('results on %s', (kind) => {
  let t: TestApp;
  let league: League;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
    league = await buildResultsLeague(t.app, { teams: 3 });
  });
  afterAll(async () => t?.close());

  const captain = (team: number) => {
    const side = league.teams[team];
    if (!side) throw new Error(`no team ${team}`);
    return side.captain;
  };
  const player = (team: number, n: number) => {
    const p = league.teams[team]?.players[n];
    if (!p) throw new Error(`no player ${n} in team ${team}`);
    return p;
  };
  /** The ratings of this league's players (the demo league has its own). */
  const ratings = async () =>
    t.app.db.owner
      .selectFrom('playerRatings')
      .where(
        'userId',
        'in',
        league.teams.flatMap((s) => s.players.map((p) => p.id)),
      )
      .select(['userId', 'kind', 'rating', 'matches', 'won', 'lost'])
      .execute();

  it('a captain enters a score, the other confirms, and it becomes final with ratings moved', async () => {
    const matchId = await pastMatch(t.app, league, 0, 1, '2026-09-01');
    const input = smallResult(league, 0, 1, score('6-4 6-3'), score('4-6 6-3 10-7'));
    const entered = await captain(0).send('PUT', `/api/matches/${matchId}/result`, input);
    expect(entered.statusCode).toBe(200);
    const pending = entered.json();
    expect(pending).toMatchObject({
      status: 'pending',
      totals: { winner: 'home', linesHome: 2, linesAway: 0, setsHome: 4, setsAway: 1 },
      can: { enter: true, confirm: false, dispute: false, settle: false, correct: false },
    });
    expect(pending.lines.map((l: { text: string }) => l.text)).toEqual([
      '6-4 6-3',
      '4-6 6-3 [10-7]',
    ]);
    expect(pending.lines[0].homePlayers[0].name).toBe('A1');
    // The deadline is the league's default: 48 hours after entry.
    const hours = (Date.parse(pending.confirmBy) - Date.parse(pending.enteredBy.at)) / 3_600_000;
    expect(Math.round(hours)).toBe(48);
    expect(await ratings()).toEqual([]);

    const seen = (await captain(1).get(`/api/matches/${matchId}/result`)).json();
    expect(seen.can).toMatchObject({ enter: false, confirm: true, dispute: true });

    // The entering team cannot confirm its own result.
    const own = await captain(0).send('POST', `/api/matches/${matchId}/result/confirm`);
    expect(own.statusCode).toBe(403);
    expect(own.json().detail).toMatch(/Your team entered this result/);

    const confirmed = await captain(1).send(
      'POST',
      `/api/matches/${matchId}/result/confirm`,
      undefined,
      {
        'if-match': String(seen.version),
      },
    );
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({
      status: 'final',
      decided: { how: 'confirmed', by: 'B1' },
      can: { enter: false, confirm: false, correct: false },
    });
    expect(confirmed.json().history.map((h: { kind: string }) => h.kind)).toEqual([
      'entered',
      'confirmed',
    ]);

    const rows = await ratings();
    const of = (team: number, n: number, kind: string) =>
      rows.find((r) => r.userId === player(team, n).id && r.kind === kind);
    expect(of(0, 0, 'singles')).toMatchObject({ matches: 1, won: 1, lost: 0 });
    expect(of(1, 0, 'singles')).toMatchObject({ matches: 1, won: 0, lost: 1 });
    expect(of(0, 0, 'singles')?.rating).toBeGreaterThan(of(1, 0, 'singles')?.rating ?? Infinity);
    expect(of(0, 1, 'doubles')).toMatchObject({ won: 1 });
    expect(of(1, 2, 'doubles')).toMatchObject({ lost: 1 });
    // Doubles players have no singles rating from this match, and the other way round.
    expect(of(0, 1, 'singles')).toBeUndefined();
    expect(rows).toHaveLength(6);

    const listed = (await captain(1).get(`/api/divisions/${league.divisionId}/matches`)).json();
    expect(listed.find((m: { id: string }) => m.id === matchId).result).toEqual({
      status: 'final',
      winner: 'home',
      linesHome: 2,
      linesAway: 0,
    });
    const mine = (await captain(1).get('/api/me/matches?when=past')).json();
    expect(mine.find((m: { id: string }) => m.id === matchId).result.status).toBe('final');

    const match = await t.app.db.owner
      .selectFrom('matches')
      .where('id', '=', matchId)
      .select('status')
      .executeTakeFirstOrThrow();
    expect(match.status).toBe('played');

    const events = await t.app.db.owner
      .selectFrom('ratingEvents')
      .where('matchId', '=', matchId)
      .select(['userId', 'before', 'after', 'won', 'explanation'])
      .execute();
    expect(events).toHaveLength(6);
    const loser = events.find((e) => e.userId === player(1, 0).id);
    expect(loser?.after).toBeLessThan(loser?.before ?? -Infinity);
    expect(loser?.explanation).toMatchObject({ score: '4-6 3-6', actual: 0 });

    // Final means locked: no re-entry, no second confirmation.
    const again = await captain(0).send('PUT', `/api/matches/${matchId}/result`, input);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/final and locked/);
    const twice = await captain(1).send('POST', `/api/matches/${matchId}/result/confirm`);
    expect(twice.statusCode).toBe(409);
  });

  it('impossible scores are 400s naming each field, and nothing is saved', async () => {
    const matchId = await pastMatch(t.app, league, 1, 2, '2026-09-02');
    const input = smallResult(league, 1, 2, score('6-5 6-3'), score('6-4 6-4 6-4'));
    const bad = await captain(1).send('PUT', `/api/matches/${matchId}/result`, input);
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('lines.0.sets.0');
    expect(fields).toContain('lines.1.sets.2');
    expect((await captain(1).get(`/api/matches/${matchId}/result`)).json().status).toBe('none');

    const stranger = player(0, 1).id;
    const wrongPlayer = smallResult(league, 1, 2, score('6-1 6-1'), score('6-1 6-1'));
    wrongPlayer.lines[0] = { ...must(wrongPlayer.lines[0], 'line'), homePlayers: [stranger] };
    const notOnRoster = await captain(1).send('PUT', `/api/matches/${matchId}/result`, wrongPlayer);
    expect(notOnRoster.statusCode).toBe(400);
    expect(notOnRoster.json().errors).toContainEqual({
      field: 'lines.0.homePlayers.0',
      message: "This player is not on Team B's roster",
    });

    const twiceOn = smallResult(league, 1, 2, score('6-1 6-1'), score('6-1 6-1'));
    twiceOn.lines[1] = {
      ...must(twiceOn.lines[1], 'line'),
      homePlayers: [player(1, 0).id, player(1, 1).id],
    };
    const twice = await captain(1).send('PUT', `/api/matches/${matchId}/result`, twiceOn);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors).toContainEqual({
      field: 'lines.1.homePlayers.0',
      message: 'This player is already on line 1 of this match',
    });

    const singlesOnly = smallResult(league, 1, 2, score('6-1 6-1'), []).lines.slice(0, 1);
    const missing = await captain(1).send('PUT', `/api/matches/${matchId}/result`, {
      lines: singlesOnly,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toContainEqual({
      field: 'lines',
      message: 'Enter doubles line 1 too: every line of the match',
    });
  });

  it('no score, however malformed, gets a 500: it is taken or refused with named fields', async () => {
    const matchId = await pastMatch(t.app, league, 1, 2, '2026-09-09');
    const ids = [player(1, 0).id, player(1, 1).id, player(2, 0).id, player(0, 0).id];
    const games = fc.oneof(
      fc.integer({ min: -3, max: 15 }),
      fc.constantFrom(7, 6, 10, 12, 100, 1.5, Number.MAX_SAFE_INTEGER),
      fc.string({ maxLength: 3 }),
      fc.constant(null),
    );
    const line = fc.record(
      {
        kind: fc.constantFrom('singles', 'doubles', 'mixed'),
        line: fc.integer({ min: 0, max: 3 }),
        homePlayers: fc.array(fc.constantFrom(...ids), { maxLength: 3 }),
        awayPlayers: fc.array(fc.constantFrom(...ids), { maxLength: 3 }),
        outcome: fc.constantFrom('completed', 'retired', 'walkover', 'default', 'rain'),
        sets: fc.array(
          fc.record({ home: games, away: games, tiebreak: fc.option(games) }, { requiredKeys: [] }),
          { maxLength: 6 },
        ),
        winner: fc.constantFrom('home', 'away', null, 'both'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 4 }), async (lines) => {
        const response = await captain(1).send('PUT', `/api/matches/${matchId}/result`, { lines });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode !== 200) {
          expect(response.statusCode).toBe(400);
          expect(response.json().errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a score for a future or cancelled match is refused', async () => {
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const created = await league.organizer.send(
      'POST',
      `/api/divisions/${league.divisionId}/matches`,
      {
        homeTeamId: league.teams[0]?.teamId,
        awayTeamId: league.teams[2]?.teamId,
        date: future,
        startTime: '18:00',
        durationMinutes: 90,
      },
    );
    const futureId = created.json().id as string;
    const input = smallResult(league, 0, 2, score('6-1 6-1'), score('6-1 6-1'));
    const early = await captain(0).send('PUT', `/api/matches/${futureId}/result`, input);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/enter its result from that day/);

    const cancelledId = await pastMatch(t.app, league, 0, 2, '2026-09-03');
    await t.app.db.owner
      .updateTable('matches')
      .set({ status: 'cancelled', cancelReason: 'Rain' })
      .where('id', '=', cancelledId)
      .execute();
    const cancelled = await captain(0).send('PUT', `/api/matches/${cancelledId}/result`, input);
    expect(cancelled.statusCode).toBe(409);
    expect(cancelled.json().detail).toMatch(/cancelled/);
  });

  it('two captains racing to enter: one result, the second told to confirm or dispute', async () => {
    const matchId = await pastMatch(t.app, league, 2, 0, '2026-09-04');
    const home = smallResult(league, 2, 0, score('6-2 6-2'), score('6-2 6-2'));
    const [a, b] = await Promise.all([
      captain(2).send('PUT', `/api/matches/${matchId}/result`, home),
      captain(0).send('PUT', `/api/matches/${matchId}/result`, home),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const rows = await t.app.db.owner
      .selectFrom('resultEvents')
      .where('matchId', '=', matchId)
      .select('kind')
      .execute();
    expect(rows).toEqual([{ kind: 'entered' }]);
  });

  it('the entering team may re-enter while pending; a stale copy gets 412 with the current one', async () => {
    const matchId = await pastMatch(t.app, league, 1, 0, '2026-09-05');
    const first = await captain(1).send(
      'PUT',
      `/api/matches/${matchId}/result`,
      smallResult(league, 1, 0, score('6-2 6-2'), score('6-2 6-2')),
    );
    const version = first.json().version as number;
    const second = await captain(1).send(
      'PUT',
      `/api/matches/${matchId}/result`,
      smallResult(league, 1, 0, score('6-2 6-3'), score('6-2 6-2')),
      { 'if-match': String(version) },
    );
    expect(second.statusCode).toBe(200);
    expect(second.json().lines[0].text).toBe('6-2 6-3');
    const stale = await captain(1).send(
      'PUT',
      `/api/matches/${matchId}/result`,
      smallResult(league, 1, 0, score('6-0 6-0'), score('6-2 6-2')),
      { 'if-match': String(version) },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current.lines[0].text).toBe('6-2 6-3');
    const other = await captain(0).send(
      'PUT',
      `/api/matches/${matchId}/result`,
      smallResult(league, 1, 0, score('0-6 0-6'), score('6-2 6-2')),
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).toMatch(/Team B already entered this result/);
  });

  it('a dispute with a counter-proposal is settled by an organizer, all in the audit trail', async () => {
    const matchId = await pastMatch(t.app, league, 2, 1, '2026-09-06');
    await captain(2).send(
      'PUT',
      `/api/matches/${matchId}/result`,
      smallResult(league, 2, 1, score('6-4 6-4'), score('6-4 6-4')),
    );
    const noComment = await captain(1).send('POST', `/api/matches/${matchId}/result/dispute`, {
      lines: smallResult(league, 2, 1, score('4-6 4-6'), score('6-4 6-4')).lines,
    });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().errors[0].field).toBe('comment');
    const disputed = await captain(1).send('POST', `/api/matches/${matchId}/result/dispute`, {
      comment: 'We won the singles 6-4 6-4, not them',
      lines: smallResult(league, 2, 1, score('4-6 4-6'), score('6-4 6-4')).lines,
    });
    expect(disputed.statusCode).toBe(200);
    expect(disputed.json()).toMatchObject({
      status: 'disputed',
      dispute: { comment: 'We won the singles 6-4 6-4, not them', totals: { winner: 'tie' } },
      confirmBy: null,
    });
    // Captains can no longer decide it; a player cannot settle.
    expect(
      (await captain(2).send('POST', `/api/matches/${matchId}/result/confirm`)).statusCode,
    ).toBe(409);
    const settleBody = {
      comment: 'Both captains agreed on the phone: the away side won the singles',
      lines: smallResult(league, 2, 1, score('4-6 4-6'), score('6-4 6-4')).lines,
    };
    expect(
      (await captain(2).send('POST', `/api/matches/${matchId}/result/settle`, settleBody))
        .statusCode,
    ).toBe(403);
    const settled = await league.organizer.send(
      'POST',
      `/api/matches/${matchId}/result/settle`,
      settleBody,
    );
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json()).toMatchObject({
      status: 'final',
      decided: { how: 'settled', by: 'Organizer' },
      totals: { winner: 'tie', linesHome: 1, linesAway: 1 },
      can: { correct: true, settle: false },
    });
    expect(
      settled
        .json()
        .history.map((h: { kind: string; comment: string | null }) => [h.kind, h.comment]),
    ).toEqual([
      ['entered', null],
      ['disputed', 'We won the singles 6-4 6-4, not them'],
      ['settled', settleBody.comment],
    ]);
  });

  it('an organizer records a result nobody entered, and it moves ratings at once', async () => {
    const matchId = await pastMatch(t.app, league, 2, 0, '2026-09-07');
    const body = {
      comment: 'Scores phoned in by both captains',
      lines: smallResult(league, 2, 0, score('7-6'), [])
        .lines.slice(0, 1)
        .concat([
          {
            kind: 'doubles',
            line: 1,
            homePlayers: [],
            awayPlayers: [player(0, 1).id, player(0, 2).id],
            outcome: 'walkover',
            winner: 'away',
          },
        ]),
    };
    const bad = await league.organizer.send('POST', `/api/matches/${matchId}/result/settle`, body);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('lines.0.sets');
    const first = must(smallResult(league, 2, 0, [], []).lines[0], 'line');
    const settled = await league.organizer.send('POST', `/api/matches/${matchId}/result/settle`, {
      ...body,
      lines: [
        {
          ...first,
          sets: [
            { home: 7, away: 6, tiebreak: 4 },
            { home: 6, away: 2 },
          ],
        },
        must(body.lines[1], 'line'),
      ],
    });
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json()).toMatchObject({
      status: 'final',
      enteredBy: null,
      decided: { how: 'settled' },
      totals: { winner: 'tie', linesHome: 1, linesAway: 1 },
    });
    expect(settled.json().lines.map((l: { text: string }) => l.text)).toEqual([
      '7-6(4) 6-2',
      'w/o',
    ]);
    // The walkover moves nobody; the singles moves its two players.
    const moves = await t.app.db.owner
      .selectFrom('ratingEvents')
      .where('matchId', '=', matchId)
      .select(['userId', 'kind'])
      .execute();
    expect(moves.map((m) => m.kind)).toEqual(['singles', 'singles']);
  });

  it('a corrected result re-rates from that match on, as if it had always been so', async () => {
    const l = await buildResultsLeague(t.app, { teams: 2, prefix: 'C' });
    const first = await pastMatch(t.app, l, 0, 1, '2026-08-01');
    const second = await pastMatch(t.app, l, 1, 0, '2026-08-08');
    await confirmedResult(l, first, 0, 1, smallResult(l, 0, 1, score('6-1 6-1'), score('6-1 6-1')));
    await confirmedResult(
      l,
      second,
      1,
      0,
      smallResult(l, 1, 0, score('6-4 6-4'), score('6-4 6-4')),
    );
    const players = l.teams.flatMap((s) => s.players.map((p) => p.id));
    const snapshot = async () =>
      (
        await t.app.db.owner
          .selectFrom('playerRatings')
          .where('userId', 'in', players)
          .select(['userId', 'kind', 'rating', 'won', 'lost'])
          .orderBy('userId')
          .orderBy('kind')
          .execute()
      ).map((r) => ({ ...r, rating: Math.round(r.rating * 1e6) }));
    const before = await snapshot();

    const reason = { reason: 'The singles score was entered the wrong way round' };
    const flipped = smallResult(l, 0, 1, score('1-6 1-6'), score('6-1 6-1')).lines;
    expect(
      (
        await must(l.teams[0], 'team').captain.send(
          'POST',
          `/api/matches/${first}/result/correct`,
          {
            ...reason,
            lines: flipped,
          },
        )
      ).statusCode,
    ).toBe(403);
    const corrected = await l.organizer.send('POST', `/api/matches/${first}/result/correct`, {
      ...reason,
      lines: flipped,
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().decided.how).toBe('corrected');
    const after = await snapshot();
    expect(after).not.toEqual(before);
    const singlesA = after.find(
      (r) => r.userId === must(l.teams[0]?.players[0], 'player').id && r.kind === 'singles',
    );
    expect(singlesA).toMatchObject({ won: 0, lost: 2 });

    // The same results entered correctly from the start, in a league of their own, rate the same.
    const fresh = await buildResultsLeague(t.app, { teams: 2, prefix: 'D' });
    const f1 = await pastMatch(t.app, fresh, 0, 1, '2026-08-01');
    const f2 = await pastMatch(t.app, fresh, 1, 0, '2026-08-08');
    await confirmedResult(
      fresh,
      f1,
      0,
      1,
      smallResult(fresh, 0, 1, score('1-6 1-6'), score('6-1 6-1')),
    );
    await confirmedResult(
      fresh,
      f2,
      1,
      0,
      smallResult(fresh, 1, 0, score('6-4 6-4'), score('6-4 6-4')),
    );
    const ratingOf = async (id: string) =>
      (
        await t.app.db.owner
          .selectFrom('playerRatings')
          .where('userId', '=', id)
          .where('kind', '=', 'singles')
          .select('rating')
          .executeTakeFirstOrThrow()
      ).rating;
    expect(await ratingOf(must(l.teams[0]?.players[0], 'player').id)).toBeCloseTo(
      await ratingOf(must(fresh.teams[0]?.players[0], 'player').id),
      9,
    );
  });

  it('an unanswered result is confirmed automatically after the deadline', async () => {
    const { confirmDueResults } = await import('./results.service');
    const matchId = await pastMatch(t.app, league, 0, 1, '2026-09-10');
    await captain(0).send(
      'PUT',
      `/api/matches/${matchId}/result`,
      smallResult(league, 0, 1, score('6-0 6-0'), score('6-0 6-0')),
    );
    expect(await confirmDueResults(t.app.db, new Date(Date.now() + 47 * 3_600_000))).toBe(0);
    const pending = await t.app.db.owner
      .selectFrom('matchResults')
      .where('status', '=', 'pending')
      .select('matchId')
      .execute();
    expect(pending.map((p) => p.matchId)).toContain(matchId);
    expect(await confirmDueResults(t.app.db, new Date(Date.now() + 49 * 3_600_000))).toBe(
      pending.length,
    );
    const result = (await captain(1).get(`/api/matches/${matchId}/result`)).json();
    expect(result).toMatchObject({ status: 'final', decided: { how: 'auto_confirmed', by: null } });
    expect(result.history.at(-1)).toMatchObject({ kind: 'auto_confirmed', actor: null });
    const moves = await t.app.db.owner
      .selectFrom('ratingEvents')
      .where('matchId', '=', matchId)
      .select('userId')
      .execute();
    expect(moves).toHaveLength(6);
  });
});
