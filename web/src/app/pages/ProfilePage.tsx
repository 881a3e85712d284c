import { useState } from 'react';
import { Link } from 'react-router';
import { Banner, Card } from '../../components';
import { ProfileForm, RoleForm } from '../../features/onboarding';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function ProfilePage() {
  const me = useSignedInUser();
  const [saved, setSaved] = useState<'profile' | 'role' | null>(null);
  return (
    <Page title="Your profile" lead={<Link to="/">Back to the dashboard</Link>} narrow>
      <div className="stack stack--loose">
        {saved ? (
          <Banner tone="success">
            {saved === 'profile' ? 'Your profile is saved.' : 'Your role is saved.'}
          </Banner>
        ) : null}
        <Card title="Details">
          <ProfileForm
            profile={me.profile}
            submitLabel="Save profile"
            onSaved={() => setSaved('profile')}
          />
        </Card>
        <Card title="Role">
          <RoleForm
            role={me.role}
            legend="How do you take part?"
            submitLabel="Save role"
            onSaved={() => setSaved('role')}
          />
        </Card>
      </div>
    </Page>
  );
}
