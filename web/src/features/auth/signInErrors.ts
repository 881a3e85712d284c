/** What went wrong when the provider sent the user back to `/sign-in?error=<code>`. */
export function signInErrorMessage(code: string | null): string | null {
  switch (code) {
    case null:
    case '':
      return null;
    case 'state':
      return 'Your sign-in could not be verified, perhaps because it was started in another tab. Please sign in again.';
    case 'provider':
      return 'Google could not complete your sign-in right now. Please try again in a moment.';
    case 'expired':
      return 'Your sign-in took too long and expired. Please sign in again.';
    case 'denied':
      return 'Sign-in was cancelled, or Rally Connect was not allowed to see your account. Please try again if you want to sign in.';
    default:
      return 'Sign-in did not complete. Please try again.';
  }
}
