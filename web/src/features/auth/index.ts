export {
  authConfigQuery,
  confirmedUser,
  isSignedOut,
  meQuery,
  meQueryKey,
  useAuthConfig,
  useMe,
  useSignOut,
} from './api';
export { signInErrorMessage } from './signInErrors';
export { SignInOptions } from './SignInOptions';
export { SignOutButton } from './SignOutButton';
