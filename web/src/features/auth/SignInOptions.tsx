import type { AuthConfig } from '#domain/schemas/auth';
import { ROLE_LABELS } from '#domain/schemas/me';
import { Banner, Button, buttonClass, Card } from '../../components';
import { describeError } from '../../lib/forms';
import { oidcLoginUrl, useDemoSignIn } from './api';

export interface SignInOptionsProps {
  config: AuthConfig;
  returnTo: string;
}

/** The ways to sign in that the server offers: Google and, in demo mode, the demo accounts. */
export function SignInOptions({ config, returnTo }: SignInOptionsProps) {
  const demo = useDemoSignIn();
  const pendingUser = demo.isPending ? demo.variables?.user : undefined;

  return (
    <div className="stack">
      {config.oidcEnabled ? (
        // A plain link: the sign-in is a full-page trip to the provider and back.
        <a className={buttonClass('primary', true)} href={oidcLoginUrl(returnTo)}>
          Sign in with Google
        </a>
      ) : null}

      {config.demoMode ? (
        <Card title="Try the demo" className="card--demo">
          <p>
            Demo accounts are shared sample users: anything you change with them may be seen by
            others. &ldquo;A new player&rdquo; is a fresh account of your own each time.
          </p>
          {demo.isError ? <Banner tone="error">{describeError(demo.error)}</Banner> : null}
          <ul className="button-list">
            {config.demoUsers.map((user) => (
              <li key={user.key}>
                <Button
                  variant="secondary"
                  block
                  busy={pendingUser === user.key}
                  busyLabel={`Signing in as ${user.displayName}…`}
                  disabled={demo.isPending}
                  onClick={() => demo.signIn(user.key)}
                >
                  Sign in as {user.displayName}
                  {user.role ? ` (${ROLE_LABELS[user.role].title.toLowerCase()})` : ''}
                </Button>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      {!config.oidcEnabled && !config.demoMode ? (
        <Banner tone="warning" title="Sign-in is not set up">
          This server has no sign-in method configured. Ask the person who runs it to set up Google
          sign-in.
        </Banner>
      ) : null}
    </div>
  );
}
