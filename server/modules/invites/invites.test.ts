import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { createLeagueWithDivision, createTeam, signUp } from '../../test/factories';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/smtp';

/** The token at the end of an invitation URL (`PUBLIC_URL/invites/<token>`). */
function tokenOf(url: string): string {
  const token = new URL(url).pathname.split('/').pop();
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

/** Set-up shared by both suites: teams in public and private leagues, invitations, rosters. */
function helpers(t: () => TestApp) {
  return {
    /** A captain's team in a fresh league (public unless said otherwise) of this roster size. */
    async team(options: { rosterMax?: number; visibility?: 'public' | 'private' } = {}) {
      const organizer = await signUp(t().app, 'organizer', 'Olga Organizer');
      const ids = await createLeagueWithDivision(organizer.agent, {
        visibility: options.visibility ?? 'public',
        rosterMax: options.rosterMax ?? 8,
      });
      // In a private league only its organizers can see the division, so they add the team.
      const captain =
        options.visibility === 'private'
          ? organizer
          : await signUp(t().app, 'captain', 'Cara Captain');
      const teamId = await createTeam(captain.agent, ids.divisionId, 'Baseline Bandits');
      return { ...ids, organizer, captain, teamId };
    },

    async invite(captain: Agent, teamId: string, body: Record<string, unknown> = { kind: 'link' }) {
      const response = await captain.send('POST', `/api/teams/${teamId}/invites`, body);
      expect(response.statusCode).toBe(201);
      const invite = response.json() as { id: string; url: string; delivery?: string };
      return { ...invite, token: tokenOf(invite.url) };
    },

    async rosterIds(teamId: string): Promise<string[]> {
      const rows = await t()
        .app.db.owner.selectFrom('teamMembers')
        .select('userId')
        .where('teamId', '=', teamId)
        .orderBy('joinedAt')
        .execute();
      return rows.map((r) => r.userId);
    },

    async stored(inviteId: string) {
      return t()
        .app.db.owner.selectFrom('teamInvites')
        .select(['uses', 'revokedAt', 'declinedAt'])
        .where('id', '=', inviteId)
        .executeTakeFirst();
    },
  };
}

describe.each(TEST_DATABASES)('team invitations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
  });
  afterAll(async () => t?.close());
  const { team, invite, rosterIds, stored } = helpers(() => t);

  it('a link invite: previewed signed out, accepted only signed in, and then counted', async () => {
    const { captain, teamId } = await team();
    const link = await invite(captain.agent, teamId, { kind: 'link', maxUses: 5 });

    const preview = await t.app.inject({ url: `/api/invites/${link.token}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      teamId,
      teamName: 'Baseline Bandits',
      leagueName: 'Riverside Tennis League',
      seasonName: 'Spring 2027',
      divisionName: '3.5 Mixed',
      invitedBy: 'Cara Captain',
      alreadyMember: false,
    });
    const visitor = new Agent(t.app);
    await visitor.prime();
    const signedOut = await visitor.send('POST', `/api/invites/${link.token}/accept`);
    expect(signedOut.statusCode).toBe(401);
    expect(await rosterIds(teamId)).toEqual([captain.id]);

    const player = await signUp(t.app, 'player', 'Pat Player');
    const joined = await player.agent.send('POST', `/api/invites/${link.token}/accept`);
    expect(joined.statusCode).toBe(200);
    expect(joined.json().members).toContainEqual(
      expect.objectContaining({ userId: player.id, role: 'player', displayName: 'Pat Player' }),
    );
    expect(await rosterIds(teamId)).toEqual([captain.id, player.id]);
    expect((await player.agent.get(`/api/invites/${link.token}`)).json().alreadyMember).toBe(true);
    const listed = (await captain.agent.get(`/api/teams/${teamId}/invites`)).json();
    expect(listed).toEqual([
      expect.objectContaining({ id: link.id, uses: 1, maxUses: 5, status: 'open' }),
    ]);
    expect(listed[0]).not.toHaveProperty('url');
  });

  it('a link whose uses are all taken is 410 used_up, and admits nobody more', async () => {
    const { captain, teamId } = await team();
    const link = await invite(captain.agent, teamId, { kind: 'link', maxUses: 1 });
    const first = await signUp(t.app, 'player', 'First Player');
    const second = await signUp(t.app, 'player', 'Second Player');

    expect((await first.agent.send('POST', `/api/invites/${link.token}/accept`)).statusCode).toBe(
      200,
    );
    const late = await second.agent.send('POST', `/api/invites/${link.token}/accept`);
    expect(late.statusCode).toBe(410);
    expect(late.json().type).toBe('urn:rally:problem:invite-used_up');
    expect(await rosterIds(teamId)).toEqual([captain.id, first.id]);
    expect(await stored(link.id)).toMatchObject({ uses: 1 });
  });

  it('a revoked invite is 410 for preview and accept', async () => {
    const { captain, teamId } = await team();
    const link = await invite(captain.agent, teamId);
    const revoked = await captain.agent.send('DELETE', `/api/teams/${teamId}/invites/${link.id}`);
    expect(revoked.statusCode).toBe(204);
    expect((await stored(link.id))?.revokedAt).toBeInstanceOf(Date);

    const preview = await t.app.inject({ url: `/api/invites/${link.token}` });
    expect(preview.statusCode).toBe(410);
    expect(preview.json().type).toBe('urn:rally:problem:invite-revoked');
    const player = await signUp(t.app, 'player', 'Pat Player');
    const accept = await player.agent.send('POST', `/api/invites/${link.token}/accept`);
    expect(accept.statusCode).toBe(410);
    expect(await rosterIds(teamId)).toEqual([captain.id]);
  });

  it('an expired invite is 410 and admits nobody', async () => {
    const { captain, teamId } = await team();
    const link = await invite(captain.agent, teamId);
    await t.app.db.owner
      .updateTable('teamInvites')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', link.id)
      .execute();

    const player = await signUp(t.app, 'player', 'Pat Player');
    const accept = await player.agent.send('POST', `/api/invites/${link.token}/accept`);
    expect(accept.statusCode).toBe(410);
    expect(accept.json().type).toBe('urn:rally:problem:invite-expired');
    expect(await rosterIds(teamId)).toEqual([captain.id]);
    expect(await stored(link.id)).toMatchObject({ uses: 0 });
  });

  it("an open invite lets its holder preview and join a private league's team", async () => {
    const { captain, teamId, leagueId } = await team({ visibility: 'private' });
    const link = await invite(captain.agent, teamId);
    const player = await signUp(t.app, 'player', 'Pat Player');
    expect((await player.agent.get(`/api/leagues/${leagueId}`)).statusCode).toBe(404);

    const preview = await player.agent.get(`/api/invites/${link.token}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      teamName: 'Baseline Bandits',
      invitedBy: 'Olga Organizer',
    });
    expect((await player.agent.send('POST', `/api/invites/${link.token}/accept`)).statusCode).toBe(
      200,
    );
    expect(await rosterIds(teamId)).toEqual([captain.id, player.id]);
    expect((await player.agent.get(`/api/leagues/${leagueId}`)).statusCode).toBe(200);
  });

  it("a revoked or expired invite to a private league's team is 410 too, not 404", async () => {
    const { captain, teamId } = await team({ visibility: 'private' });
    const revoked = await invite(captain.agent, teamId);
    await captain.agent.send('DELETE', `/api/teams/${teamId}/invites/${revoked.id}`);
    const expired = await invite(captain.agent, teamId);
    await t.app.db.owner
      .updateTable('teamInvites')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();

    const player = await signUp(t.app, 'player', 'Pat Player');
    const afterRevoke = await player.agent.send('POST', `/api/invites/${revoked.token}/accept`);
    expect([afterRevoke.statusCode, afterRevoke.json().type]).toEqual([
      410,
      'urn:rally:problem:invite-revoked',
    ]);
    const afterExpiry = await player.agent.get(`/api/invites/${expired.token}`);
    expect([afterExpiry.statusCode, afterExpiry.json().type]).toEqual([
      410,
      'urn:rally:problem:invite-expired',
    ]);
    expect(await rosterIds(teamId)).toEqual([captain.id]);
  });

  it('an unknown token is 404 and a malformed one 400', async () => {
    const player = await signUp(t.app, 'player', 'Pat Player');
    const unknown = await player.agent.send('POST', `/api/invites/${'A'.repeat(43)}/accept`);
    expect(unknown.statusCode).toBe(404);
    const malformed = await player.agent.get('/api/invites/not!a*token');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors).toEqual([
      { field: 'params.token', message: 'Not an invitation token' },
    ]);
  });

  it("a full roster is 409 and the invite's use is not counted", async () => {
    const { captain, teamId } = await team({ rosterMax: 2 });
    const link = await invite(captain.agent, teamId, { kind: 'link', maxUses: 10 });
    const first = await signUp(t.app, 'player', 'First Player');
    const second = await signUp(t.app, 'player', 'Second Player');
    expect((await first.agent.send('POST', `/api/invites/${link.token}/accept`)).statusCode).toBe(
      200,
    );

    const full = await second.agent.send('POST', `/api/invites/${link.token}/accept`);
    expect(full.statusCode).toBe(409);
    expect(full.json().detail).toMatch(/roster is full/);
    expect(await rosterIds(teamId)).toEqual([captain.id, first.id]);
    expect(await stored(link.id)).toMatchObject({ uses: 1 });
  });

  it('a player can be on only one team per division (409)', async () => {
    const { captain, teamId, divisionId } = await team();
    const rival = await signUp(t.app, 'captain', 'Rival Captain');
    const rivalTeamId = await createTeam(rival.agent, divisionId, 'Rival Racketeers');
    const player = await signUp(t.app, 'player', 'Pat Player');
    const first = await invite(captain.agent, teamId);
    const second = await invite(rival.agent, rivalTeamId);
    expect((await player.agent.send('POST', `/api/invites/${first.token}/accept`)).statusCode).toBe(
      200,
    );

    const again = await player.agent.send('POST', `/api/invites/${second.token}/accept`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('Baseline Bandits');
    expect(await rosterIds(rivalTeamId)).toEqual([rival.id]);
    expect(await stored(second.id)).toMatchObject({ uses: 0 });
  });

  it('accepting again as a member is 409 and takes no use', async () => {
    const { captain, teamId } = await team();
    const link = await invite(captain.agent, teamId);
    const player = await signUp(t.app, 'player', 'Pat Player');
    await player.agent.send('POST', `/api/invites/${link.token}/accept`);

    const again = await player.agent.send('POST', `/api/invites/${link.token}/accept`);
    expect(again.statusCode).toBe(409);
    expect(await rosterIds(teamId)).toEqual([captain.id, player.id]);
    expect(await stored(link.id)).toMatchObject({ uses: 1 });
  });

  it('declining an e-mail invite closes it (410 declined); declining a shared link leaves it open', async () => {
    const { captain, teamId } = await team();
    const personal = await invite(captain.agent, teamId, {
      kind: 'email',
      email: 'pat@example.com',
    });
    const link = await invite(captain.agent, teamId, { kind: 'link', maxUses: 3 });
    const pat = await signUp(t.app, 'player', 'Pat Player');

    expect(
      (await pat.agent.send('POST', `/api/invites/${personal.token}/decline`)).statusCode,
    ).toBe(204);
    const afterwards = await pat.agent.send('POST', `/api/invites/${personal.token}/accept`);
    expect(afterwards.statusCode).toBe(410);
    expect(afterwards.json().type).toBe('urn:rally:problem:invite-declined');
    expect((await stored(personal.id))?.declinedAt).toBeInstanceOf(Date);

    expect((await pat.agent.send('POST', `/api/invites/${link.token}/decline`)).statusCode).toBe(
      204,
    );
    expect((await stored(link.id))?.declinedAt).toBeNull();
    const other = await signUp(t.app, 'player', 'Other Player');
    expect((await other.agent.send('POST', `/api/invites/${link.token}/accept`)).statusCode).toBe(
      200,
    );
    expect(await rosterIds(teamId)).toEqual([captain.id, other.id]);
  });

  it("the captain's list shows each invite's status", async () => {
    const { captain, teamId } = await team();
    const open = await invite(captain.agent, teamId, { kind: 'link', maxUses: 5 });
    const usedUp = await invite(captain.agent, teamId, { kind: 'link', maxUses: 1 });
    const revoked = await invite(captain.agent, teamId);
    const declined = await invite(captain.agent, teamId, { kind: 'email', email: 'd@example.com' });
    const expired = await invite(captain.agent, teamId);
    const player = await signUp(t.app, 'player', 'Pat Player');
    expect(
      (await player.agent.send('POST', `/api/invites/${usedUp.token}/accept`)).statusCode,
    ).toBe(200);
    await captain.agent.send('DELETE', `/api/teams/${teamId}/invites/${revoked.id}`);
    await player.agent.send('POST', `/api/invites/${declined.token}/decline`);
    await t.app.db.owner
      .updateTable('teamInvites')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();

    const list = await captain.agent.get(`/api/teams/${teamId}/invites`);
    expect(list.statusCode).toBe(200);
    const statuses = Object.fromEntries(
      (list.json() as { id: string; status: string }[]).map((i) => [i.id, i.status]),
    );
    expect(statuses).toEqual({
      [open.id]: 'open',
      [usedUp.id]: 'used_up',
      [revoked.id]: 'revoked',
      [declined.id]: 'declined',
      [expired.id]: 'expired',
    });
  });

  it('members who are not captains cannot list, create or withdraw invites (403)', async () => {
    const { captain, teamId } = await team();
    const link = await invite(captain.agent, teamId);
    const player = await signUp(t.app, 'player', 'Pat Player');
    await player.agent.send('POST', `/api/invites/${link.token}/accept`);

    expect((await player.agent.get(`/api/teams/${teamId}/invites`)).statusCode).toBe(403);
    const create = await player.agent.send('POST', `/api/teams/${teamId}/invites`, {
      kind: 'link',
    });
    expect(create.statusCode).toBe(403);
    const revoke = await player.agent.send('DELETE', `/api/teams/${teamId}/invites/${link.id}`);
    expect(revoke.statusCode).toBe(403);

    const invites = await t.app.db.owner
      .selectFrom('teamInvites')
      .select(['id', 'revokedAt'])
      .where('teamId', '=', teamId)
      .execute();
    expect(invites).toEqual([{ id: link.id, revokedAt: null }]);
  });

  it('without a mail server an e-mail invite is logged and its URL returned to share', async () => {
    const { captain, teamId } = await team();
    const emailed = await invite(captain.agent, teamId, {
      kind: 'email',
      email: ' Pat@Example.com ',
      message: 'Join us on Thursdays!',
    });
    expect(emailed.delivery).toBe('logged');
    expect(emailed.url).toMatch(/^http:\/\/127\.0\.0\.1:4800\/invites\/[\w-]{20,}$/);
    const listed = (await captain.agent.get(`/api/teams/${teamId}/invites`)).json();
    expect(listed).toEqual([
      expect.objectContaining({ kind: 'email', email: 'pat@example.com', maxUses: 1 }),
    ]);

    const pat = await signUp(t.app, 'player', 'Pat Player');
    expect((await pat.agent.send('POST', `/api/invites/${emailed.token}/accept`)).statusCode).toBe(
      200,
    );
    expect(await rosterIds(teamId)).toEqual([captain.id, pat.id]);
  });

  it('two players taking the last roster place at once: exactly one gets it', async () => {
    const { captain, teamId } = await team({ rosterMax: 3 });
    const member = await signUp(t.app, 'player', 'Early Member');
    const early = await invite(captain.agent, teamId);
    await member.agent.send('POST', `/api/invites/${early.token}/accept`);
    // Two separate invites, so only the roster lock (not the invite's row) can keep them apart.
    const one = await invite(captain.agent, teamId);
    const two = await invite(captain.agent, teamId);
    const ana = await signUp(t.app, 'player', 'Ana Racer');
    const ben = await signUp(t.app, 'player', 'Ben Racer');

    const results = await Promise.all([
      ana.agent.send('POST', `/api/invites/${one.token}/accept`),
      ben.agent.send('POST', `/api/invites/${two.token}/accept`),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const roster = await rosterIds(teamId);
    expect(roster).toHaveLength(3);
    const winner = results[0]?.statusCode === 200 ? ana.id : ben.id;
    expect(roster).toEqual([captain.id, member.id, winner]);
    const uses = [(await stored(one.id))?.uses, (await stored(two.id))?.uses];
    expect(uses.sort()).toEqual([0, 1]);
  });

  // Issue #10, finding 7: on PostgreSQL the losers got 404 (the private league vanished from
  // their view mid-transaction) and 500 ("an open invite must show its team") instead of 410.
  it.each(['private', 'public'] as const)(
    "eight players accepting a single-use link of a %s league's team at once: one joins, seven get 410",
    async (visibility) => {
      const { captain, teamId } = await team({ visibility });
      const link = await invite(captain.agent, teamId, { kind: 'link', maxUses: 1 });
      const players = [];
      for (let i = 1; i <= 8; i++) players.push(await signUp(t.app, 'player', `Racer ${i}`));

      const answers = await Promise.all(
        players.map((p) => p.agent.send('POST', `/api/invites/${link.token}/accept`)),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect([...statuses].sort()).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
      for (const lost of answers.filter((a) => a.statusCode === 410)) {
        expect(lost.headers['content-type']).toContain('application/problem+json');
        expect(lost.json()).toMatchObject({
          status: 410,
          type: 'urn:rally:problem:invite-used_up',
        });
      }
      const winner = players[statuses.indexOf(200)];
      expect(await rosterIds(teamId)).toEqual([captain.id, winner?.id]);
      expect(await stored(link.id)).toMatchObject({ uses: 1 });
    },
  );
});

/** A message as the SMTP receiver got it. */
/** The text of a message, with quoted-printable soft line breaks and escapes undone. */
function decodedText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe.each(TEST_DATABASES)('e-mail invitations through a real SMTP server on %s', (kind) => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestApp(kind, {
      env: { DEMO_MODE: 'true', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
      overrides: NO_RATE_LIMITS,
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const { team, invite, rosterIds } = helpers(() => t);

  it('an e-mail invite reaches the mail server with a link that lets the invitee join', async () => {
    const { captain, teamId } = await team();
    const emailed = await invite(captain.agent, teamId, {
      kind: 'email',
      email: 'pat@example.com',
      message: 'See you Thursday',
    });
    expect(emailed.delivery).toBe('sent');

    const message = smtp.received.find((m) => m.to.includes('pat@example.com'));
    expect(message).toBeDefined();
    const text = decodedText(message?.raw ?? '');
    expect(text).toContain(emailed.url);
    expect(text).toContain('See you Thursday');
    expect(text).toMatch(/Subject: You're invited to join Baseline Bandits/);

    const pat = await signUp(t.app, 'player', 'Pat Player');
    const accepted = await pat.agent.send('POST', `/api/invites/${tokenOf(emailed.url)}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(await rosterIds(teamId)).toEqual([captain.id, pat.id]);
  });

  it('when the mail server refuses the address the API answers 502 and keeps no invite', async () => {
    const { captain, teamId } = await team();
    const before = smtp.received.length;
    const refused = await captain.agent.send('POST', `/api/teams/${teamId}/invites`, {
      kind: 'email',
      email: 'refused@example.com',
    });
    expect(refused.statusCode).toBe(502);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(smtp.received).toHaveLength(before);
    const stored = await t.app.db.owner
      .selectFrom('teamInvites')
      .select('id')
      .where('teamId', '=', teamId)
      .execute();
    expect(stored).toEqual([]);
    expect((await captain.agent.get(`/api/teams/${teamId}/invites`)).json()).toEqual([]);
  });
});
