import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import { buildLeague, signUp } from '../../test/factories';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/smtp';

/** A message as the SMTP receiver got it. */
/** The text of a message, with quoted-printable soft line breaks and escapes undone. */
function decodedText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Co-organizers by invitation (issue #10, finding 4): an organizer invites an e-mail address, the
 * answer does not tell whether the address has an account, and only the account signed in with
 * that address can accept.
 */
describe.each(TEST_DATABASES)('invitations to co-organize a league on %s', (kind) => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  let owner: { agent: Agent; id: string };
  let mailCount = 0;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestApp(kind, {
      env: { DEMO_MODE: 'true', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
      overrides: NO_RATE_LIMITS,
    });
    owner = await signUp(t.app, 'organizer', 'Olga Organizer');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** A signed-in user whose identity provider gave (and, unless told, verified) this e-mail. */
  async function person(name: string, email: string, verified = true) {
    const user = await signUp(t.app, 'player', name);
    await t.app.db.owner
      .updateTable('users')
      .set({ email, emailVerified: verified })
      .where('id', '=', user.id)
      .execute();
    return user;
  }

  /** A fresh address, so that tests do not see each other's invitations. */
  const address = (name: string) => `${name}-${++mailCount}@example.com`;

  async function privateLeague(): Promise<string> {
    const league = await owner.agent.send('POST', '/api/leagues', buildLeague());
    expect(league.statusCode).toBe(201);
    return league.json().id as string;
  }

  async function invite(leagueId: string, email: string) {
    const response = await owner.agent.send('POST', `/api/leagues/${leagueId}/organizers`, {
      email,
    });
    expect(response.statusCode).toBe(202);
    return response.json() as { id: string; email: string; status: string };
  }

  async function organizerRows(leagueId: string) {
    return t.app.db.owner
      .selectFrom('leagueOrganizers')
      .select(['userId', 'role'])
      .where('leagueId', '=', leagueId)
      .orderBy('createdAt')
      .execute();
  }

  it('the answer is the same whether or not the address has an account, and both get the e-mail', async () => {
    const leagueId = await privateLeague();
    const knownEmail = address('hana');
    const hana = await person('Hana Helper', knownEmail);
    const unknownEmail = address('nobody');

    const answers = [];
    for (const email of [knownEmail, unknownEmail]) {
      answers.push(
        await owner.agent.send('POST', `/api/leagues/${leagueId}/organizers`, { email }),
      );
    }
    const [known, unknown] = answers.map((a) => ({
      status: a.statusCode,
      type: a.headers['content-type'],
      body: a.json() as Record<string, unknown>,
    }));
    expect(known?.status).toBe(202);
    expect(unknown?.status).toBe(202);
    expect(known?.type).toBe(unknown?.type);
    expect(Object.keys(known?.body ?? {}).sort()).toEqual(Object.keys(unknown?.body ?? {}).sort());
    for (const [answer, email] of [
      [known, knownEmail],
      [unknown, unknownEmail],
    ] as const) {
      expect(answer?.body).toEqual({
        id: expect.any(String),
        email,
        status: 'pending',
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
        delivery: 'sent',
      });
    }
    expect(JSON.stringify(known?.body)).not.toContain(hana.id);
    expect(JSON.stringify(known?.body)).not.toContain('Hana');

    for (const email of [knownEmail, unknownEmail]) {
      const message = smtp.received.find((m) => m.to.includes(email));
      expect(message).toBeDefined();
      const text = decodedText(message?.raw ?? '');
      expect(text).toMatch(/Subject: You're invited to co-organize Riverside Tennis League/);
      expect(text).toContain('Olga Organizer invited you');
      expect(text).toContain(`with this e-mail address (${email}) at http://127.0.0.1:4800/`);
    }
    // Nobody runs the league yet.
    expect(await organizerRows(leagueId)).toEqual([{ userId: owner.id, role: 'owner' }]);
  });

  it('nothing changes before acceptance; accepting makes the addressee co-organizer', async () => {
    const leagueId = await privateLeague();
    const email = address('hana');
    const hana = await person('Hana Helper', email);
    const pending = await invite(leagueId, email.toUpperCase());
    expect(pending.email).toBe(email);

    expect((await hana.agent.get(`/api/leagues/${leagueId}`)).statusCode).toBe(404);
    const edit = await hana.agent.send('PATCH', `/api/leagues/${leagueId}`, { description: 'x' });
    expect(edit.statusCode).toBe(404);
    expect(await organizerRows(leagueId)).toEqual([{ userId: owner.id, role: 'owner' }]);

    const mine = await hana.agent.get('/api/organizer-invites');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual([
      {
        id: pending.id,
        leagueId,
        leagueName: 'Riverside Tennis League',
        sport: 'tennis',
        customSport: null,
        invitedBy: 'Olga Organizer',
        expiresAt: expect.any(String),
      },
    ]);

    const accepted = await hana.agent.send('POST', `/api/organizer-invites/${pending.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().organizers).toEqual([
      { userId: owner.id, displayName: 'Olga Organizer', role: 'owner' },
      { userId: hana.id, displayName: 'Hana Helper', role: 'co_organizer' },
    ]);
    expect(accepted.json().access.isOrganizer).toBe(true);
    const edited = await hana.agent.send('PATCH', `/api/leagues/${leagueId}`, {
      description: 'Run by two',
    });
    expect(edited.statusCode).toBe(200);
    expect((await hana.agent.get('/api/organizer-invites')).json()).toEqual([]);
    const listed = (await owner.agent.get(`/api/leagues/${leagueId}/organizer-invites`)).json();
    expect(listed).toEqual([expect.objectContaining({ id: pending.id, status: 'accepted' })]);

    const again = await hana.agent.send('POST', `/api/organizer-invites/${pending.id}/accept`);
    expect(again.statusCode).toBe(410);
    expect(again.json().type).toBe('urn:rally:problem:organizer-invite-accepted');
  });

  it('only the addressee can accept or decline: anybody else, organizers too, gets 404', async () => {
    const leagueId = await privateLeague();
    const email = address('hana');
    const hana = await person('Hana Helper', email);
    const mallory = await person('Mallory', address('mallory'));
    const unverified = await person('Unverified Hana', email, false);
    const pending = await invite(leagueId, email);

    for (const someone of [mallory, unverified, owner]) {
      expect((await someone.agent.get('/api/organizer-invites')).json()).toEqual([]);
      for (const action of ['accept', 'decline']) {
        const answer = await someone.agent.send(
          'POST',
          `/api/organizer-invites/${pending.id}/${action}`,
        );
        expect(answer.statusCode).toBe(404);
        expect(answer.headers['content-type']).toContain('application/problem+json');
      }
    }
    const signedOut = new Agent(t.app);
    await signedOut.prime();
    expect(
      (await signedOut.send('POST', `/api/organizer-invites/${pending.id}/accept`)).statusCode,
    ).toBe(401);
    expect(await organizerRows(leagueId)).toEqual([{ userId: owner.id, role: 'owner' }]);
    expect((await hana.agent.get('/api/organizer-invites')).json()).toHaveLength(1);
  });

  it('declining closes the invitation (410 afterwards) and adds nobody', async () => {
    const leagueId = await privateLeague();
    const email = address('hana');
    const hana = await person('Hana Helper', email);
    const pending = await invite(leagueId, email);

    const declined = await hana.agent.send('POST', `/api/organizer-invites/${pending.id}/decline`);
    expect(declined.statusCode).toBe(204);
    const late = await hana.agent.send('POST', `/api/organizer-invites/${pending.id}/accept`);
    expect([late.statusCode, late.json().type]).toEqual([
      410,
      'urn:rally:problem:organizer-invite-declined',
    ]);
    expect(await organizerRows(leagueId)).toEqual([{ userId: owner.id, role: 'owner' }]);
    const listed = (await owner.agent.get(`/api/leagues/${leagueId}/organizer-invites`)).json();
    expect(listed).toEqual([expect.objectContaining({ id: pending.id, status: 'declined' })]);
  });

  it('organizers see pending invitations and withdraw them; a withdrawn one cannot be accepted', async () => {
    const leagueId = await privateLeague();
    const email = address('hana');
    const hana = await person('Hana Helper', email);
    const pending = await invite(leagueId, email);
    const list = await owner.agent.get(`/api/leagues/${leagueId}/organizer-invites`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      {
        id: pending.id,
        email,
        status: 'pending',
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
      },
    ]);

    const url = `/api/leagues/${leagueId}/organizer-invites/${pending.id}`;
    expect((await owner.agent.send('DELETE', url)).statusCode).toBe(204);
    expect((await owner.agent.send('DELETE', url)).statusCode).toBe(409);
    expect((await hana.agent.get('/api/organizer-invites')).json()).toEqual([]);
    const late = await hana.agent.send('POST', `/api/organizer-invites/${pending.id}/accept`);
    expect([late.statusCode, late.json().type]).toEqual([
      410,
      'urn:rally:problem:organizer-invite-withdrawn',
    ]);
    expect(await organizerRows(leagueId)).toEqual([{ userId: owner.id, role: 'owner' }]);
    const otherLeague = await privateLeague();
    expect(
      (
        await owner.agent.send(
          'DELETE',
          `/api/leagues/${otherLeague}/organizer-invites/${pending.id}`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('inviting the same address again replaces the open invitation', async () => {
    const leagueId = await privateLeague();
    const email = address('hana');
    const first = await invite(leagueId, email);
    const second = await invite(leagueId, email);
    const statuses = (await owner.agent.get(`/api/leagues/${leagueId}/organizer-invites`))
      .json()
      .map((i: { id: string; status: string }) => [i.id, i.status]);
    expect(statuses).toEqual([
      [second.id, 'pending'],
      [first.id, 'withdrawn'],
    ]);
  });

  it('an expired invitation is 410 and shown as expired', async () => {
    const leagueId = await privateLeague();
    const email = address('hana');
    const hana = await person('Hana Helper', email);
    const pending = await invite(leagueId, email);
    await t.app.db.owner
      .updateTable('leagueOrganizerInvites')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', pending.id)
      .execute();

    expect((await hana.agent.get('/api/organizer-invites')).json()).toEqual([]);
    const late = await hana.agent.send('POST', `/api/organizer-invites/${pending.id}/accept`);
    expect([late.statusCode, late.json().type]).toEqual([
      410,
      'urn:rally:problem:organizer-invite-expired',
    ]);
    const listed = (await owner.agent.get(`/api/leagues/${leagueId}/organizer-invites`)).json();
    expect(listed).toEqual([expect.objectContaining({ id: pending.id, status: 'expired' })]);
    expect(await organizerRows(leagueId)).toEqual([{ userId: owner.id, role: 'owner' }]);
  });

  it('only organizers invite, list and withdraw (403), and outsiders of a private league get 404', async () => {
    const leagueId = await privateLeague();
    const pending = await invite(leagueId, address('hana'));
    const stranger = await signUp(t.app, 'organizer', 'Stranger');
    for (const answer of [
      await stranger.agent.send('POST', `/api/leagues/${leagueId}/organizers`, {
        email: address('x'),
      }),
      await stranger.agent.get(`/api/leagues/${leagueId}/organizer-invites`),
      await stranger.agent.send(
        'DELETE',
        `/api/leagues/${leagueId}/organizer-invites/${pending.id}`,
      ),
    ]) {
      expect(answer.statusCode).toBe(404);
    }
    const open = (
      await owner.agent.send('POST', '/api/leagues', buildLeague({ visibility: 'public' }))
    ).json();
    const forbidden = await stranger.agent.send('POST', `/api/leagues/${open.id}/organizers`, {
      email: address('x'),
    });
    expect(forbidden.statusCode).toBe(403);
    const bad = await owner.agent.send('POST', `/api/leagues/${leagueId}/organizers`, {
      email: 'not an address',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ field: 'email', message: 'Not an e-mail address' }]);
  });

  it('when the mail server refuses the address the answer is 502 and no invitation is kept', async () => {
    const leagueId = await privateLeague();
    const refused = await owner.agent.send('POST', `/api/leagues/${leagueId}/organizers`, {
      email: 'refused@example.com',
    });
    expect(refused.statusCode).toBe(502);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((await owner.agent.get(`/api/leagues/${leagueId}/organizer-invites`)).json()).toEqual(
      [],
    );
  });

  it('a league has at most 20 pending invitations (409 beyond); withdrawing makes room', async () => {
    const leagueId = await privateLeague();
    const sent = [];
    for (let i = 0; i < 20; i++) sent.push(await invite(leagueId, address('crowd')));
    const over = await owner.agent.send('POST', `/api/leagues/${leagueId}/organizers`, {
      email: address('crowd'),
    });
    expect(over.statusCode).toBe(409);
    expect(over.headers['content-type']).toContain('application/problem+json');
    // Inviting an address again replaces its pending invitation, so it is not refused.
    await invite(leagueId, sent[0]?.email ?? '');
    await owner.agent.send('DELETE', `/api/leagues/${leagueId}/organizer-invites/${sent[1]?.id}`);
    await invite(leagueId, address('crowd'));
  });

  it('the OpenAPI document describes the invitation, not a league, as the answer', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    const invite = doc.paths['/api/leagues/{leagueId}/organizers'].post;
    expect(Object.keys(invite.responses)).toContain('202');
    expect(Object.keys(invite.responses)).not.toContain('200');
    expect(
      Object.keys(invite.responses['202'].content['application/json'].schema.properties).sort(),
    ).toEqual(['createdAt', 'delivery', 'email', 'expiresAt', 'id', 'status']);
    for (const path of [
      '/api/organizer-invites',
      '/api/organizer-invites/{inviteId}/accept',
      '/api/organizer-invites/{inviteId}/decline',
      '/api/leagues/{leagueId}/organizer-invites',
      '/api/leagues/{leagueId}/organizer-invites/{inviteId}',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});
