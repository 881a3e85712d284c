import { useLocation, useNavigate } from 'react-router';
import { ProfileForm } from '../../features/me';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function OnboardingProfilePage() {
  const me = useSignedInUser();
  const navigate = useNavigate();
  // `?returnTo=` goes on to the next step, so the user lands where they were going at the end.
  const { search } = useLocation();
  return (
    <Page
      title="Set up your profile"
      eyebrow="Step 1 of 2"
      lead="Tell your league who you are and what you play. You can change this later."
      narrow
    >
      <ProfileForm
        profile={me.profile}
        submitLabel="Save and continue"
        onSaved={() => void navigate(`/onboarding/role${search}`)}
      />
    </Page>
  );
}
