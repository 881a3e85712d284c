/**
 * Keeps a post-sign-in destination inside the app: only same-origin absolute paths are allowed, so
 * a crafted `?returnTo=` link cannot bounce a user to another site.
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  if (value === '/sign-in' || value.startsWith('/sign-in?') || value.startsWith('/api/'))
    return fallback;
  return value;
}
