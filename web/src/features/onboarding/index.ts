export { ProfileForm } from './ProfileForm';
export { RoleForm } from './RoleForm';
