export { ProfileForm } from './ProfileForm';
export { ProfileSummary } from './ProfileSummary';
export { RoleForm } from './RoleForm';
export { WhatsNext } from './WhatsNext';
