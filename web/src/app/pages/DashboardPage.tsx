import { Link } from 'react-router';
import { ROLE_LABELS } from '#domain/schemas/me';
import { Badge, Banner, buttonClass, Card, Loading } from '../../components';
import { SignOutButton } from '../../features/auth';
import { ProfileSummary, WhatsNext } from '../../features/me';
import { LeagueList, OrganizerInvitations, useLeagues } from '../../features/leagues';
import { MatchList, useMyMatches } from '../../features/schedule';
import { MyTeamList, useMyTeams } from '../../features/teams';
import { describeError } from '../../lib/forms';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function DashboardPage() {
  const me = useSignedInUser();
  const role = me.role ? ROLE_LABELS[me.role] : null;
  return (
    <Page
      title="Dashboard"
      heading={`Hello, ${me.profile?.displayName ?? 'there'}`}
      lead={
        role ? (
          <>
            <span className="visually-hidden">Your role: </span>
            <Badge>{role.title}</Badge>
          </>
        ) : null
      }
    >
      <OrganizerInvitations />
      <MyScheduleCard />
      <div className="grid">
        <MyTeamsCard canCreate={me.role === 'captain' || me.role === 'organizer'} />
        <LeaguesCard organizer={me.role === 'organizer'} />
        {me.profile ? (
          <Card
            title="Your profile"
            actions={
              <Link to="/profile" className={buttonClass('secondary')}>
                Edit profile
              </Link>
            }
          >
            <ProfileSummary profile={me.profile} email={me.email} />
          </Card>
        ) : null}
        {me.role && role ? (
          <Card title={`As a ${role.title.toLowerCase()}`}>
            <WhatsNext role={me.role} />
          </Card>
        ) : null}
      </div>
      <div className="page__footer">
        {me.demo ? <p className="muted">You are using a shared demo account.</p> : null}
        <SignOutButton />
      </div>
    </Page>
  );
}

function ListState({
  query,
  what,
}: {
  query:
    ReturnType<typeof useMyTeams> | ReturnType<typeof useLeagues> | ReturnType<typeof useMyMatches>;
  what: string;
}) {
  if (query.isError) return <Banner tone="error">{describeError(query.error)}</Banner>;
  if (query.fetchStatus === 'paused')
    return <p className="muted">Your {what} will appear when you are back online.</p>;
  return <Loading label={`Loading your ${what}…`} />;
}

function MyTeamsCard({ canCreate }: { canCreate: boolean }) {
  const teams = useMyTeams();
  return (
    <Card title="My teams">
      {teams.data ? (
        teams.data.length > 0 ? (
          <MyTeamList teams={teams.data} />
        ) : (
          <p className="muted">
            {canCreate
              ? "You are not on a team yet. Open a league's division to create your team."
              : 'You are not on a team yet. Your captain can send you an invitation link.'}
          </p>
        )
      ) : (
        <ListState query={teams} what="teams" />
      )}
    </Card>
  );
}

function LeaguesCard({ organizer }: { organizer: boolean }) {
  const leagues = useLeagues();
  return (
    <Card
      title="Leagues"
      actions={
        <>
          {organizer ? (
            <Link to="/leagues/new" className={buttonClass('primary')}>
              Create a league
            </Link>
          ) : null}
          <Link to="/leagues" className={buttonClass('secondary')}>
            All leagues
          </Link>
        </>
      }
    >
      {leagues.data ? (
        leagues.data.length > 0 ? (
          <LeagueList leagues={leagues.data.slice(0, 5)} />
        ) : (
          <p className="muted">There are no leagues yet.</p>
        )
      ) : (
        <ListState query={leagues} what="leagues" />
      )}
    </Card>
  );
}

function MyScheduleCard() {
  const matches = useMyMatches('upcoming');
  return (
    <Card
      title="My schedule"
      actions={
        <Link to="/schedule" className={buttonClass('secondary')}>
          Full schedule
        </Link>
      }
    >
      {matches.data ? (
        matches.data.length > 0 ? (
          <MatchList
            matches={matches.data.slice(0, 5)}
            label="My upcoming matches"
            showLeague
            forPlayer
          />
        ) : (
          <p className="muted">No upcoming matches.</p>
        )
      ) : (
        <ListState query={matches} what="matches" />
      )}
    </Card>
  );
}
