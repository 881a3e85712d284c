import { Link } from 'react-router';
import { ROLE_LABELS } from '../../../../domain/schemas/profile';
import { Badge, buttonClass, Card } from '../../components';
import { SignOutButton } from '../../features/auth';
import { ProfileSummary, WhatsNext } from '../../features/dashboard';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function DashboardPage() {
  const me = useSignedInUser();
  const role = me.role ? ROLE_LABELS[me.role] : null;
  return (
    <Page
      title="Dashboard"
      heading={`Hello, ${me.profile?.displayName ?? 'there'}`}
      lead={
        role ? (
          <>
            <span className="visually-hidden">Your role: </span>
            <Badge>{role.title}</Badge>
          </>
        ) : null
      }
    >
      <div className="grid">
        {me.profile ? (
          <Card
            title="Your profile"
            actions={
              <Link to="/profile" className={buttonClass('secondary')}>
                Edit profile
              </Link>
            }
          >
            <ProfileSummary profile={me.profile} email={me.email} />
          </Card>
        ) : null}
        {me.role && role ? (
          <Card title="What's next">
            <p>As a {role.title.toLowerCase()}, you'll soon be able to:</p>
            <WhatsNext role={me.role} />
          </Card>
        ) : null}
      </div>
      <div className="page__footer">
        {me.demo ? <p className="muted">You are using a shared demo account.</p> : null}
        <SignOutButton />
      </div>
    </Page>
  );
}
