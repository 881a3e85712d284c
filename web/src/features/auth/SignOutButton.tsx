import { Banner, Button, OfflineNotice } from '../../components';
import { describeError } from '../../lib/forms';
import { useSignOut } from './api';

export function SignOutButton() {
  const { signOut, isPending, isPaused, isError, error } = useSignOut();
  return (
    <div className="stack stack--tight">
      <OfflineNotice paused={isPaused}>
        You will be signed out as soon as the connection is back.
      </OfflineNotice>
      {isError ? <Banner tone="error">Could not sign out. {describeError(error)}</Banner> : null}
      <Button variant="secondary" onClick={signOut} busy={isPending} busyLabel="Signing out…">
        Sign out
      </Button>
    </div>
  );
}
