import { Link } from 'react-router';
import { Card } from '../../components';
import { ProfileForm, RoleForm } from '../../features/me';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function ProfilePage() {
  const me = useSignedInUser();
  return (
    <Page title="Your profile" lead={<Link to="/">Back to the dashboard</Link>} narrow>
      <div className="stack stack--loose">
        <Card title="Details">
          <ProfileForm
            profile={me.profile}
            submitLabel="Save profile"
            savedMessage="Your profile is saved."
          />
        </Card>
        <Card title="Role">
          <RoleForm
            role={me.role}
            legend="How do you take part?"
            submitLabel="Save role"
            savedMessage="Your role is saved."
          />
        </Card>
      </div>
    </Page>
  );
}
