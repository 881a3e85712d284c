import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildProfile, startTestApp, type TestApp } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';

describe.each(TEST_DATABASES)('onboarding and profile on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
  });
  afterAll(async () => t?.close());

  /** A brand-new demo account: signed in, nothing filled in yet. */
  async function newUser(): Promise<Agent> {
    const agent = new Agent(t.app);
    await agent.prime();
    const response = await agent.send('POST', '/api/auth/demo', { user: 'new' });
    expect(response.statusCode).toBe(204);
    return agent;
  }

  it('onboarding goes profile, then role, then done', async () => {
    const agent = await newUser();
    expect((await agent.get('/api/me')).json().onboarding).toBe('profile');

    const profile = await agent.send('PUT', '/api/me/profile', buildProfile());
    expect(profile.statusCode).toBe(200);
    expect(profile.json()).toMatchObject({
      onboarding: 'role',
      profile: {
        displayName: 'Ana Ivanovic',
        phone: '+14155550123',
        cityOrClub: 'Riverside Racquet Club',
        sports: [{ sport: 'tennis', level: 'intermediate' }],
        version: 1,
      },
    });

    const role = await agent.send('PUT', '/api/me/role', { role: 'organizer' });
    expect(role.statusCode).toBe(200);
    expect(role.json()).toMatchObject({ role: 'organizer', onboarding: 'done' });
    expect((await agent.get('/api/me')).json()).toMatchObject({
      role: 'organizer',
      onboarding: 'done',
    });
  });

  it('the role cannot be chosen before the profile', async () => {
    const agent = await newUser();
    const response = await agent.send('PUT', '/api/me/role', { role: 'captain' });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/profile/);
    expect((await agent.get('/api/me')).json().role).toBeNull();
  });

  it('names every invalid field in the 400 problem body', async () => {
    const agent = await newUser();
    const response = await agent.send('PUT', '/api/me/profile', {
      displayName: ' A ',
      phone: '0800 123',
      sports: [
        { sport: 'tennis', level: 'godlike' },
        { sport: 'curling', level: 'expert' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const body = response.json();
    expect(body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    const fields = body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual([
      'cityOrClub',
      'displayName',
      'phone',
      'sports.0.level',
      'sports.1.sport',
    ]);
    expect(body.errors.find((e: { field: string }) => e.field === 'phone').message).toMatch(
      /international format/i,
    );
    expect((await agent.get('/api/me')).json().profile).toBeNull();
  });

  it('trims and normalises names, and refuses a NUL byte', async () => {
    const agent = await newUser();
    const saved = await agent.send(
      'PUT',
      '/api/me/profile',
      buildProfile({ displayName: '  Zoe\u0301 Smith  ', phone: '' }),
    );
    expect(saved.statusCode).toBe(200);
    expect(saved.json().profile.displayName).toBe('Zoé Smith');
    expect(saved.json().profile.phone).toBeNull();

    const nul = await agent.send(
      'PUT',
      '/api/me/profile',
      buildProfile({ displayName: 'Bad\u0000Name' }),
    );
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors).toEqual([
      { field: 'displayName', message: expect.stringMatching(/control/) },
    ]);
    expect((await agent.get('/api/me')).json().profile.displayName).toBe('Zoé Smith');
  });

  it('refuses the same sport twice and a phone number that does not exist', async () => {
    const agent = await newUser();
    const response = await agent.send(
      'PUT',
      '/api/me/profile',
      buildProfile({
        phone: '+99912345678',
        sports: [
          { sport: 'padel', level: 'novice' },
          { sport: 'padel', level: 'expert' },
        ],
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['phone', 'sports']);
  });

  it('an unknown role is 400', async () => {
    const agent = await newUser();
    await agent.send('PUT', '/api/me/profile', buildProfile());
    const response = await agent.send('PUT', '/api/me/role', { role: 'superuser' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('role');
  });

  it('If-Match with a stale version gets 412 and the current profile, and changes nothing', async () => {
    const agent = await newUser();
    await agent.send('PUT', '/api/me/profile', buildProfile());
    const me = await agent.get('/api/me');
    expect(me.headers.etag).toBe('"1"');
    const second = await agent.send(
      'PUT',
      '/api/me/profile',
      buildProfile({ cityOrClub: 'Club Two' }),
      {
        'if-match': '"1"',
      },
    );
    expect(second.statusCode).toBe(200);
    expect(second.json().profile.version).toBe(2);

    const stale = await agent.send(
      'PUT',
      '/api/me/profile',
      buildProfile({ cityOrClub: 'Club Stale' }),
      {
        'if-match': '"1"',
      },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({
      status: 412,
      type: 'urn:rally:problem:version-conflict',
      current: { cityOrClub: 'Club Two', version: 2 },
    });
    expect((await agent.get('/api/me')).json().profile.cityOrClub).toBe('Club Two');
  });

  it('a malformed If-Match is 400', async () => {
    const agent = await newUser();
    const response = await agent.send('PUT', '/api/me/profile', buildProfile(), {
      'if-match': 'yesterday',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('If-Match');
  });

  it('the same Idempotency-Key replays the stored response instead of writing twice', async () => {
    const agent = await newUser();
    const key = { 'idempotency-key': 'profile-write-1' };
    const first = await agent.send('PUT', '/api/me/profile', buildProfile(), key);
    expect(first.statusCode).toBe(200);
    const replay = await agent.send('PUT', '/api/me/profile', buildProfile(), key);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect((await agent.get('/api/me')).json().profile.version).toBe(1);
  });

  it('the same Idempotency-Key with another body is 422 and writes nothing', async () => {
    const agent = await newUser();
    const key = { 'idempotency-key': 'profile-write-2' };
    await agent.send('PUT', '/api/me/profile', buildProfile(), key);
    const other = await agent.send(
      'PUT',
      '/api/me/profile',
      buildProfile({ displayName: 'Someone Else' }),
      key,
    );
    expect(other.statusCode).toBe(422);
    expect(other.json().type).toBe('urn:rally:problem:idempotency-key-reused');
    expect((await agent.get('/api/me')).json().profile.displayName).toBe('Ana Ivanovic');
  });

  it('a failed write does not use up its Idempotency-Key', async () => {
    const agent = await newUser();
    const key = { 'idempotency-key': 'role-before-profile' };
    expect((await agent.send('PUT', '/api/me/role', { role: 'player' }, key)).statusCode).toBe(409);
    await agent.send('PUT', '/api/me/profile', buildProfile());
    const retry = await agent.send('PUT', '/api/me/role', { role: 'player' }, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().role).toBe('player');
  });

  it('keys belong to one user: two users can use the same key', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const key = { 'idempotency-key': 'shared-key' };
    await alice.send('PUT', '/api/me/profile', buildProfile({ displayName: 'Alice' }), key);
    const response = await bob.send(
      'PUT',
      '/api/me/profile',
      buildProfile({ displayName: 'Bob' }),
      key,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().profile.displayName).toBe('Bob');
  });

  it('a malformed Idempotency-Key is 400', async () => {
    const agent = await newUser();
    const response = await agent.send('PUT', '/api/me/profile', buildProfile(), {
      'idempotency-key': 'x'.repeat(201),
    });
    expect(response.statusCode).toBe(400);
  });

  it('signed-out writes are 401', async () => {
    const agent = new Agent(t.app);
    await agent.prime();
    const response = await agent.send('PUT', '/api/me/profile', buildProfile());
    expect(response.statusCode).toBe(401);
  });

  it('no request body, however malformed, gets a 500: it is saved or refused with named fields', async () => {
    const agent = await newUser();
    await agent.send('PUT', '/api/me/profile', buildProfile());
    const field = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.object(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { displayName: field, phone: field, cityOrClub: field, sports: field },
          { requiredKeys: [] },
        ),
        async (body) => {
          const response = await agent.send('PUT', '/api/me/profile', body);
          expect(response.statusCode).not.toBeGreaterThanOrEqual(500);
          if (response.statusCode !== 200) {
            expect(response.statusCode).toBe(400);
            const problem = response.json();
            // Invalid fields are named; a body refused whole (e.g. a __proto__ key) says why.
            if (problem.errors) expect(problem.errors.length).toBeGreaterThan(0);
            else expect(problem.detail).toMatch(/body/i);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
