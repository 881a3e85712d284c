import { useNavigate } from 'react-router';
import { RoleForm } from '../../features/onboarding';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function OnboardingRolePage() {
  const me = useSignedInUser();
  const navigate = useNavigate();
  return (
    <Page
      title="Choose your role"
      eyebrow="Step 2 of 2"
      lead="Your role decides what you can do: only league organizers create leagues. You can change it later from your profile."
      narrow
    >
      <RoleForm
        role={me.role}
        legend="How will you take part?"
        submitLabel="Continue"
        onSaved={() => void navigate('/')}
      />
    </Page>
  );
}
