import { createBrowserRouter } from 'react-router';
import { RequireSession } from './guards';
import { Layout } from './Layout';
import { DashboardPage } from './pages/DashboardPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OnboardingProfilePage } from './pages/OnboardingProfilePage';
import { OnboardingRolePage } from './pages/OnboardingRolePage';
import { ProfilePage } from './pages/ProfilePage';
import { RouteErrorPage } from './pages/RouteErrorPage';
import { SignInPage } from './pages/SignInPage';

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <DashboardPage /> },
          { path: 'profile', element: <ProfilePage /> },
          { path: 'onboarding/profile', element: <OnboardingProfilePage /> },
          { path: 'onboarding/role', element: <OnboardingRolePage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
