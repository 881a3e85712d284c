import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../test/app';
import { startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { createLeagueWithDivision, createTeam, signUp } from '../../test/factories';

describe.each(TEST_DATABASES)('teams and rosters on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      env: { DEMO_MODE: 'true' },
      overrides: NO_RATE_LIMITS,
    });
  });
  afterAll(async () => t?.close());

  /** A member's (role, status) pairs by display name, as the team page shows them. */
  async function roster(agent: Agent, teamId: string) {
    const team = await agent.get(`/api/teams/${teamId}`);
    expect(team.statusCode).toBe(200);
    return (team.json().members as { displayName: string; role: string; status: string }[]).map(
      (m) => [m.displayName, m.role, m.status],
    );
  }

  async function divisionTeamNames(agent: Agent, divisionId: string) {
    const list = await agent.get(`/api/divisions/${divisionId}/teams`);
    expect(list.statusCode).toBe(200);
    return (list.json() as { name: string }[]).map((x) => x.name);
  }

  /**
   * A team in a public league with a captain and, as plain players, the given members (who
   * joined by link invite).
   */
  async function teamWith(memberNames: string[]) {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const ids = await createLeagueWithDivision(organizer.agent, { visibility: 'public' });
    const captain = await signUp(t.app, 'captain', 'Cara Captain');
    const teamId = await createTeam(captain.agent, ids.divisionId, 'Baseline Bandits');
    const invite = await captain.agent.send('POST', `/api/teams/${teamId}/invites`, {
      kind: 'link',
    });
    expect(invite.statusCode).toBe(201);
    const token = new URL(invite.json().url as string).pathname.split('/').pop() as string;
    const members = [];
    for (const name of memberNames) {
      const member = await signUp(t.app, 'player', name);
      const joined = await member.agent.send('POST', `/api/invites/${token}/accept`);
      expect(joined.statusCode).toBe(200);
      members.push(member);
    }
    return { ...ids, organizer, captain, teamId, members };
  }

  it('a captain creates a team and becomes its captain, alone on the roster', async () => {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const { divisionId } = await createLeagueWithDivision(organizer.agent, {
      visibility: 'public',
    });
    const captain = await signUp(t.app, 'captain', 'Cara Captain');

    const created = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: 'Net Ninjas',
      homeVenue: 'Court 4',
      primaryColour: '#1A7F37',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Net Ninjas',
      divisionId,
      homeVenue: 'Court 4',
      primaryColour: '#1a7f37',
      version: 1,
      access: { isCaptain: true, isMember: true, isOrganizer: false },
      members: [{ userId: captain.id, displayName: 'Cara Captain', role: 'captain' }],
    });
    expect(await roster(captain.agent, created.json().id)).toEqual([
      ['Cara Captain', 'captain', 'active'],
    ]);
    const mine = await captain.agent.get('/api/me/teams');
    expect(mine.json()).toEqual([
      expect.objectContaining({ id: created.json().id, role: 'captain', status: 'active' }),
    ]);
  });

  it('a user with the player role cannot create a team, and nothing is saved', async () => {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const { divisionId } = await createLeagueWithDivision(organizer.agent, {
      visibility: 'public',
    });
    const player = await signUp(t.app, 'player', 'Pat Player');
    const response = await player.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: 'Net Ninjas',
    });
    expect(response.statusCode).toBe(403);
    expect(await divisionTeamNames(organizer.agent, divisionId)).toEqual([]);
  });

  it("when registration is closed a captain cannot add a team but the league's organizer can", async () => {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const { divisionId } = await createLeagueWithDivision(organizer.agent, {
      visibility: 'public',
      registrationOpen: false,
    });
    const captain = await signUp(t.app, 'captain', 'Cara Captain');
    const refused = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: 'Late Entry',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/registration/i);
    expect(await divisionTeamNames(organizer.agent, divisionId)).toEqual([]);

    const added = await organizer.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: 'Late Entry',
    });
    expect(added.statusCode).toBe(201);
    expect(await divisionTeamNames(organizer.agent, divisionId)).toEqual(['Late Entry']);
  });

  it('a team name is unique in its division whatever its case, and the loser saves nothing', async () => {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const { divisionId } = await createLeagueWithDivision(organizer.agent, {
      visibility: 'public',
    });
    const first = await signUp(t.app, 'captain', 'First Captain');
    const second = await signUp(t.app, 'captain', 'Second Captain');
    await createTeam(first.agent, divisionId, 'Aces');

    const duplicate = await second.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: ' aces ',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['content-type']).toContain('application/problem+json');
    expect(duplicate.json()).toMatchObject({
      detail: 'A team with this name is already in this division.',
      errors: [{ field: 'name', message: 'A team with this name is already in this division.' }],
    });
    expect(await divisionTeamNames(organizer.agent, divisionId)).toEqual(['Aces']);
    expect((await second.agent.get('/api/me/teams')).json()).toEqual([]);
  });

  it('the same team name is fine in another division', async () => {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const one = await createLeagueWithDivision(organizer.agent, { visibility: 'public' });
    const other = await organizer.agent.send('POST', `/api/seasons/${one.seasonId}/divisions`, {
      name: '4.0 Mixed',
    });
    expect(other.statusCode).toBe(201);
    const captain = await signUp(t.app, 'captain', 'Cara Captain');
    await createTeam(captain.agent, one.divisionId, 'Aces');
    const second = await signUp(t.app, 'captain', 'Second Captain');
    await createTeam(second.agent, other.json().id, 'Aces');
    expect(await divisionTeamNames(organizer.agent, other.json().id)).toEqual(['Aces']);
  });

  it('team names are trimmed and NFC-normalised; a NUL byte or a bad colour is a 400 naming the field', async () => {
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const { divisionId } = await createLeagueWithDivision(organizer.agent, {
      visibility: 'public',
    });
    const captain = await signUp(t.app, 'captain', 'Cara Captain');

    const nul = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: 'Bad\u0000Name',
    });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors).toEqual([
      { field: 'name', message: expect.stringMatching(/control/) },
    ]);
    const colour = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: 'Colourful',
      primaryColour: 'red',
    });
    expect(colour.statusCode).toBe(400);
    expect(colour.json().errors.map((e: { field: string }) => e.field)).toEqual(['primaryColour']);
    expect(await divisionTeamNames(organizer.agent, divisionId)).toEqual([]);

    const saved = await captain.agent.send('POST', `/api/divisions/${divisionId}/teams`, {
      name: '  Cafe\u0301 Smashers  ',
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().name).toBe('Café Smashers');
    expect(await divisionTeamNames(organizer.agent, divisionId)).toEqual(['Café Smashers']);
  });

  it('an update with If-Match succeeds once; a stale version gets 412 with the current team', async () => {
    const { captain, teamId } = await teamWith([]);
    const loaded = await captain.agent.get(`/api/teams/${teamId}`);
    expect(loaded.headers.etag).toBe('"1"');

    const first = await captain.agent.send(
      'PATCH',
      `/api/teams/${teamId}`,
      { homeVenue: 'Riverside Court 2' },
      { 'if-match': '"1"' },
    );
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ homeVenue: 'Riverside Court 2', version: 2 });

    const stale = await captain.agent.send(
      'PATCH',
      `/api/teams/${teamId}`,
      { name: 'Overwritten' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current).toMatchObject({
      name: 'Baseline Bandits',
      homeVenue: 'Riverside Court 2',
      version: 2,
    });
    expect((await captain.agent.get(`/api/teams/${teamId}`)).json()).toMatchObject({
      name: 'Baseline Bandits',
      version: 2,
    });
  });

  it("a captain sets a member's status; a plain member cannot", async () => {
    const { captain, teamId, members } = await teamWith(['Mia Member', 'Nia Member']);
    const [mia, nia] = members as [(typeof members)[0], (typeof members)[0]];

    const injured = await captain.agent.send('PATCH', `/api/teams/${teamId}/members/${mia.id}`, {
      status: 'injured',
    });
    expect(injured.statusCode).toBe(200);
    const refused = await mia.agent.send('PATCH', `/api/teams/${teamId}/members/${nia.id}`, {
      status: 'substitute',
    });
    expect(refused.statusCode).toBe(403);
    const ownStatus = await mia.agent.send('PATCH', `/api/teams/${teamId}/members/${mia.id}`, {
      status: 'active',
    });
    expect(ownStatus.statusCode).toBe(403);

    expect(await roster(captain.agent, teamId)).toEqual([
      ['Cara Captain', 'captain', 'active'],
      ['Mia Member', 'player', 'injured'],
      ['Nia Member', 'player', 'active'],
    ]);
  });

  it('a co-captain can manage the roster', async () => {
    const { captain, teamId, members } = await teamWith(['Cody Cocaptain', 'Nia Member']);
    const [cody, nia] = members as [(typeof members)[0], (typeof members)[0]];
    const promoted = await captain.agent.send('PATCH', `/api/teams/${teamId}/members/${cody.id}`, {
      role: 'co_captain',
    });
    expect(promoted.statusCode).toBe(200);

    const substitute = await cody.agent.send('PATCH', `/api/teams/${teamId}/members/${nia.id}`, {
      status: 'substitute',
    });
    expect(substitute.statusCode).toBe(200);
    expect(substitute.json().access).toMatchObject({ isCaptain: true });
    expect(await roster(captain.agent, teamId)).toEqual([
      ['Cara Captain', 'captain', 'active'],
      ['Cody Cocaptain', 'co_captain', 'active'],
      ['Nia Member', 'player', 'substitute'],
    ]);
  });

  it('a co-captain cannot take the captaincy for themselves', async () => {
    const { captain, teamId, members } = await teamWith(['Cody Cocaptain']);
    const [cody] = members as [(typeof members)[0]];
    await captain.agent.send('PATCH', `/api/teams/${teamId}/members/${cody.id}`, {
      role: 'co_captain',
    });
    const seized = await cody.agent.send('POST', `/api/teams/${teamId}/captain`, {
      userId: cody.id,
    });
    expect(seized.statusCode).toBe(403);
    expect(await roster(captain.agent, teamId)).toEqual([
      ['Cara Captain', 'captain', 'active'],
      ['Cody Cocaptain', 'co_captain', 'active'],
    ]);
  });

  it('handing over the captaincy leaves exactly one captain; the old one becomes co-captain', async () => {
    const { captain, teamId, members } = await teamWith(['Mia Member']);
    const [mia] = members as [(typeof members)[0]];
    const transfer = await captain.agent.send('POST', `/api/teams/${teamId}/captain`, {
      userId: mia.id,
    });
    expect(transfer.statusCode).toBe(200);
    expect(await roster(mia.agent, teamId)).toEqual([
      ['Mia Member', 'captain', 'active'],
      ['Cara Captain', 'co_captain', 'active'],
    ]);
    const captains = await t.app.db.owner
      .selectFrom('teamMembers')
      .select('userId')
      .where('teamId', '=', teamId)
      .where('role', '=', 'captain')
      .execute();
    expect(captains).toEqual([{ userId: mia.id }]);
  });

  it('a captain can neither leave nor be removed (409), and stays captain', async () => {
    const { captain, organizer, teamId, members } = await teamWith(['Cody Cocaptain']);
    const [cody] = members as [(typeof members)[0]];
    await captain.agent.send('PATCH', `/api/teams/${teamId}/members/${cody.id}`, {
      role: 'co_captain',
    });

    const leave = await captain.agent.send('DELETE', `/api/teams/${teamId}/members/${captain.id}`);
    expect(leave.statusCode).toBe(409);
    const removedByCoCaptain = await cody.agent.send(
      'DELETE',
      `/api/teams/${teamId}/members/${captain.id}`,
    );
    expect(removedByCoCaptain.statusCode).toBe(409);
    const removedByOrganizer = await organizer.agent.send(
      'DELETE',
      `/api/teams/${teamId}/members/${captain.id}`,
    );
    expect(removedByOrganizer.statusCode).toBe(409);
    expect(await roster(captain.agent, teamId)).toEqual([
      ['Cara Captain', 'captain', 'active'],
      ['Cody Cocaptain', 'co_captain', 'active'],
    ]);
  });

  it('a member leaves: gone from the roster and from their own team list', async () => {
    const { captain, teamId, members } = await teamWith(['Mia Member']);
    const [mia] = members as [(typeof members)[0]];
    expect((await mia.agent.get('/api/me/teams')).json()).toEqual([
      expect.objectContaining({ id: teamId, role: 'player' }),
    ]);

    const leave = await mia.agent.send('DELETE', `/api/teams/${teamId}/members/${mia.id}`);
    expect(leave.statusCode).toBe(204);
    expect(await roster(captain.agent, teamId)).toEqual([['Cara Captain', 'captain', 'active']]);
    expect((await mia.agent.get('/api/me/teams')).json()).toEqual([]);
  });

  it('a captain removes a member; a plain member cannot remove another', async () => {
    const { captain, teamId, members } = await teamWith(['Mia Member', 'Nia Member']);
    const [mia, nia] = members as [(typeof members)[0], (typeof members)[0]];
    const refused = await mia.agent.send('DELETE', `/api/teams/${teamId}/members/${nia.id}`);
    expect(refused.statusCode).toBe(403);

    const removed = await captain.agent.send('DELETE', `/api/teams/${teamId}/members/${mia.id}`);
    expect(removed.statusCode).toBe(204);
    expect(await roster(captain.agent, teamId)).toEqual([
      ['Cara Captain', 'captain', 'active'],
      ['Nia Member', 'player', 'active'],
    ]);
    expect((await mia.agent.get('/api/me/teams')).json()).toEqual([]);
  });

  it('a deleted team is gone: 404, and its division no longer lists it', async () => {
    const { captain, teamId, divisionId, members } = await teamWith(['Mia Member']);
    const [mia] = members as [(typeof members)[0]];
    const byMember = await mia.agent.send('DELETE', `/api/teams/${teamId}`);
    expect(byMember.statusCode).toBe(403);
    expect(await divisionTeamNames(captain.agent, divisionId)).toEqual(['Baseline Bandits']);

    const deleted = await captain.agent.send('DELETE', `/api/teams/${teamId}`);
    expect(deleted.statusCode).toBe(204);
    expect((await captain.agent.get(`/api/teams/${teamId}`)).statusCode).toBe(404);
    expect(await divisionTeamNames(captain.agent, divisionId)).toEqual([]);
    expect((await mia.agent.get('/api/me/teams')).json()).toEqual([]);
  });

  it("an outsider cannot see a private league's team (404) but can see a public one, signed out too", async () => {
    // In a private league only its organizers can see the division to add a team.
    const organizer = await signUp(t.app, 'organizer', 'Olga Organizer');
    const privateLeague = await createLeagueWithDivision(organizer.agent);
    const privateTeamId = await createTeam(organizer.agent, privateLeague.divisionId, 'Hidden');
    const publicTeam = await teamWith([]);
    const outsider = await signUp(t.app, 'captain', 'Owen Outsider');

    const hidden = await outsider.agent.get(`/api/teams/${privateTeamId}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain('Hidden');
    const division = await outsider.agent.get(`/api/divisions/${privateLeague.divisionId}/teams`);
    expect(division.statusCode).toBe(404);
    const signedOutPrivate = await t.app.inject({ url: `/api/teams/${privateTeamId}` });
    expect(signedOutPrivate.statusCode).toBe(404);
    expect((await organizer.agent.get(`/api/teams/${privateTeamId}`)).statusCode).toBe(200);

    const seen = await outsider.agent.get(`/api/teams/${publicTeam.teamId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({
      name: 'Baseline Bandits',
      access: { isCaptain: false, isMember: false, isOrganizer: false },
    });
    const signedOut = await t.app.inject({ url: `/api/teams/${publicTeam.teamId}` });
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.json().members).toEqual([
      expect.objectContaining({ displayName: 'Cara Captain', role: 'captain' }),
    ]);
  });
});
