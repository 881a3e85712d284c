import { createBrowserRouter } from 'react-router';
import { OptionalSession, RequireSession } from './guards';
import { Layout } from './Layout';
import { DashboardPage } from './pages/DashboardPage';
import { DivisionPage } from './pages/DivisionPage';
import { EditLeaguePage } from './pages/EditLeaguePage';
import { InvitePage } from './pages/InvitePage';
import { LeaguePage } from './pages/LeaguePage';
import { LeaderboardPage } from './pages/LeaderboardPage';
import { LeaguesPage } from './pages/LeaguesPage';
import { MatchPage } from './pages/MatchPage';
import { NewLeaguePage } from './pages/NewLeaguePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OnboardingProfilePage } from './pages/OnboardingProfilePage';
import { OnboardingRolePage } from './pages/OnboardingRolePage';
import { PlayerPage } from './pages/PlayerPage';
import { ProfilePage } from './pages/ProfilePage';
import { SchedulePage } from './pages/SchedulePage';
import { RouteErrorPage } from './pages/RouteErrorPage';
import { SignInPage } from './pages/SignInPage';
import { TeamPage } from './pages/TeamPage';

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      {
        // Public leagues, their divisions and teams, and invite links work signed out.
        element: <OptionalSession />,
        children: [
          { path: 'leagues', element: <LeaguesPage /> },
          { path: 'leagues/:leagueId', element: <LeaguePage /> },
          { path: 'leagues/:leagueId/divisions/:divisionId', element: <DivisionPage /> },
          { path: 'teams/:teamId', element: <TeamPage /> },
          { path: 'matches/:matchId', element: <MatchPage /> },
          { path: 'leaderboards', element: <LeaderboardPage /> },
          { path: 'players/:playerId', element: <PlayerPage /> },
          { path: 'invites/:token', element: <InvitePage /> },
        ],
      },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <DashboardPage /> },
          { path: 'profile', element: <ProfilePage /> },
          { path: 'schedule', element: <SchedulePage /> },
          { path: 'onboarding/profile', element: <OnboardingProfilePage /> },
          { path: 'onboarding/role', element: <OnboardingRolePage /> },
          { path: 'leagues/new', element: <NewLeaguePage /> },
          { path: 'leagues/:leagueId/edit', element: <EditLeaguePage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
