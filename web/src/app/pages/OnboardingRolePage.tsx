import { useNavigate, useSearchParams } from 'react-router';
import { RoleForm } from '../../features/me';
import { safeReturnTo } from '../../lib/returnTo';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function OnboardingRolePage() {
  const me = useSignedInUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
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
        onSaved={() => void navigate(returnTo, { replace: true })}
      />
    </Page>
  );
}
