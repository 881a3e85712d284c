import { describe, expect, it } from 'vitest';
import { scrubErrorEvent, scrubText } from './error-reports';

describe('scrubText', () => {
  it('replaces e-mail addresses, wherever they are in a text', () => {
    expect(scrubText('no user ana.ivanovic+rally@mail.example.co.uk, retry')).toBe(
      'no user [email], retry',
    );
    expect(scrubText('/api/players?email=ana@example.org&page=2')).toBe(
      '/api/players?email=[email]&page=2',
    );
  });

  it('redacts token-ish query parameters and keeps the others', () => {
    expect(
      scrubText(
        'https://rally.example/api/auth/callback?code=4/0AX-abc&state=xyz123&scope=openid&iss=https://accounts.google.com',
      ),
    ).toBe(
      'https://rally.example/api/auth/callback?code=[redacted]&state=[redacted]&scope=openid&iss=https://accounts.google.com',
    );
    expect(scrubText('/x?page=2&access_token=abc&csrfToken=def&api_key=ghi&teamId=7')).toBe(
      '/x?page=2&access_token=[redacted]&csrfToken=[redacted]&api_key=[redacted]&teamId=7',
    );
  });

  it('redacts invitation and calendar tokens in paths, and Authorization values', () => {
    expect(scrubText('GET https://rally.example/invites/Zx81-kq?ref=mail failed')).toBe(
      'GET https://rally.example/invites/<token>?ref=mail failed',
    );
    expect(scrubText('/api/calendar/abcdef0123.ics')).toBe('/api/calendar/<token>');
    expect(scrubText('sent Authorization: Bearer eyJhbGciOi.J9.x-y_z')).toBe(
      'sent Authorization: Bearer [redacted]',
    );
  });

  it("removes the values PostgreSQL quotes in a constraint's detail", () => {
    expect(scrubText('Key (email)=(ana@example.org) already exists.')).toBe(
      'Key (email)=([redacted]) already exists.',
    );
    expect(scrubText('Key (display_name, league_id)=(Ana Ivanovic, 7) is not present')).toBe(
      'Key (display_name, league_id)=([redacted]) is not present',
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'TypeError: Cannot read properties of undefined (reading "sets") at score.ts:42';
    expect(scrubText(text)).toBe(text);
  });
});

describe('scrubErrorEvent', () => {
  /** An event as the SDKs build it, with everything a careless set-up would let through. */
  function realisticEvent() {
    return {
      event_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      level: 'error',
      platform: 'javascript',
      message: 'Saving failed for ana@example.org',
      user: {
        id: '3f6c1a52-8d1e-4b8a-9b1e-1c2d3e4f5a6b',
        email: 'ana@example.org',
        username: 'Ana Ivanovic',
        ip_address: '203.0.113.9',
      },
      request: {
        url: 'https://rally.example/invites/Zx81-kq?token=Zx81-kq&tab=2',
        method: 'POST',
        query_string: 'token=Zx81-kq&tab=2',
        cookies: { rally_session: 's3ss10n' },
        data: { displayName: 'Ana Ivanovic', phone: '+14155550123' },
        headers: {
          'User-Agent': 'Mozilla/5.0',
          Cookie: 'rally_session=s3ss10n',
          Referer: 'https://rally.example/invites/Zx81-kq',
          'x-csrf-token': 'csrf-value',
        },
      },
      exception: {
        values: [
          {
            type: 'ApiError',
            value: 'Invite for ana@example.org expired',
            stacktrace: {
              frames: [
                {
                  filename: 'https://rally.example/assets/index-abc.js',
                  function: 'acceptInvite',
                  lineno: 1,
                  vars: { email: 'ana@example.org', profile: { displayName: 'Ana Ivanovic' } },
                },
              ],
            },
          },
        ],
      },
      breadcrumbs: [
        { category: 'console', message: 'profile {"displayName":"Ana Ivanovic"}' },
        {
          category: 'fetch',
          data: {
            method: 'PUT',
            url: '/api/me/profile?session_token=abc',
            status_code: 500,
            request_body: '{"displayName":"Ana Ivanovic"}',
          },
        },
        { category: 'navigation', data: { from: '/invites/Zx81-kq', to: '/teams/7' } },
      ],
      tags: { request_id: 'b7d0c1e2', route: '/api/me/profile' },
      extra: {
        email: 'ana@example.org',
        note: 'contact ana@example.org',
        authorization: 'Bearer x',
      },
      contexts: { os: { name: 'Linux' }, app: { app_start_time: '2026-12-04T10:00:00Z' } },
    };
  }

  it('keeps what locates a bug and nothing that identifies a person', () => {
    const event = scrubErrorEvent(realisticEvent());
    expect(event.user).toEqual({ id: '3f6c1a52-8d1e-4b8a-9b1e-1c2d3e4f5a6b' });
    expect(event.request).toEqual({
      url: 'https://rally.example/invites/<token>?token=[redacted]&tab=2',
      method: 'POST',
      headers: { 'User-Agent': 'Mozilla/5.0' },
    });
    expect(event.message).toBe('Saving failed for [email]');
    expect(event.exception.values[0]?.value).toBe('Invite for [email] expired');
    expect(event.exception.values[0]?.stacktrace.frames[0]).toEqual({
      filename: 'https://rally.example/assets/index-abc.js',
      function: 'acceptInvite',
      lineno: 1,
    });
    expect(event.breadcrumbs).toEqual([
      {
        category: 'fetch',
        data: { method: 'PUT', url: '/api/me/profile?session_token=[redacted]', status_code: 500 },
      },
      { category: 'navigation', data: { from: '/invites/<token>', to: '/teams/7' } },
    ]);
    expect(event.tags).toEqual({ request_id: 'b7d0c1e2', route: '/api/me/profile' });
    expect(event.extra).toEqual({ note: 'contact [email]' });
    expect(event.contexts.os).toEqual({ name: 'Linux' });

    const sent = JSON.stringify(event);
    for (const secret of ['ana@example.org', 'Ana Ivanovic', 'Zx81-kq', 's3ss10n', 'csrf-value']) {
      expect(sent).not.toContain(secret);
    }
    expect(sent).not.toContain('203.0.113.9');
    expect(sent).not.toContain('+14155550123');
  });

  it('drops a user known by nothing but personal data', () => {
    const event = scrubErrorEvent({ user: { email: 'ana@example.org', ip_address: '{{auto}}' } });
    expect(event).toEqual({});
  });
});
