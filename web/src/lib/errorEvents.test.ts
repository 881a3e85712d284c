import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { prepareEvent } from './errorEvents';

/** A browser event as `@sentry/react` builds it for an unhandled rejection on an invite page. */
function browserEvent(): ReturnType<typeof browserEventBody> & { tags?: Record<string, string> } {
  return browserEventBody();
}

function browserEventBody() {
  return {
    level: 'error',
    platform: 'javascript',
    exception: {
      values: [{ type: 'ApiError', value: 'No player with e-mail ana@example.org in this team.' }],
    },
    request: {
      url: 'https://rally.example/invites/Zx81-kq?utm=mail',
      headers: {
        'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)',
        Referer: 'https://rally.example/auth/callback?code=4/0AX&state=s7',
      },
    },
    breadcrumbs: [
      { category: 'navigation', data: { from: '/sign-in', to: '/invites/Zx81-kq' } },
      {
        category: 'fetch',
        data: { method: 'POST', url: '/api/invites/Zx81-kq/accept', status_code: 500 },
      },
    ],
    user: { email: 'ana@example.org', ip_address: '{{auto}}' },
  };
}

describe('prepareEvent (what the web app sends to the error tracker)', () => {
  it('tags a failed API call with its request id and status', () => {
    const error = new ApiError(
      500,
      { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'x' },
      'c0ffee-42',
    );
    const event = prepareEvent(browserEvent(), error);
    expect(event.tags).toEqual({ request_id: 'c0ffee-42', status: '500' });
  });

  it('leaves other errors untagged', () => {
    expect(prepareEvent(browserEvent(), new TypeError('x')).tags).toBeUndefined();
  });

  it('scrubs e-mail addresses, tokens and the user, and keeps the browser', () => {
    const event = prepareEvent(browserEvent(), new Error('x'));
    expect(event.exception.values[0]?.value).toBe('No player with e-mail [email] in this team.');
    expect(event.request).toEqual({
      url: 'https://rally.example/invites/<token>?utm=mail',
      headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
    });
    expect(event.breadcrumbs).toEqual([
      { category: 'navigation', data: { from: '/sign-in', to: '/invites/<token>' } },
      {
        category: 'fetch',
        data: { method: 'POST', url: '/api/invites/<token>/accept', status_code: 500 },
      },
    ]);
    expect(event.user).toBeUndefined();
    const sent = JSON.stringify(event);
    for (const secret of ['ana@example.org', 'Zx81-kq', '4/0AX', 's7']) {
      expect(sent).not.toContain(secret);
    }
  });
});
