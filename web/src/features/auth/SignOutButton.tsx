import { Banner, Button } from '../../components';
import { describeError } from '../../lib/forms';
import { useSignOut } from './api';

export function SignOutButton() {
  const { signOut, isPending, isError, error } = useSignOut();
  return (
    <div className="stack stack--tight">
      {isError ? <Banner tone="error">Could not sign out. {describeError(error)}</Banner> : null}
      <Button variant="secondary" onClick={signOut} busy={isPending} busyLabel="Signing out…">
        Sign out
      </Button>
    </div>
  );
}
