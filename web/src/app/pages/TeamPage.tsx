import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Banner, Button, Card, ColourSwatch, Loading } from '../../components';
import { describeError } from '../../lib/forms';
import { InvitesPanel } from '../../features/invites';
import { TeamStatsPanel } from '../../features/players';
import { divisionPath } from '../../features/leagues';
import { CalendarSubscribe } from '../../features/calendar';
import { MatchList, useTeamMatches } from '../../features/schedule';
import {
  DeleteTeam,
  LeaveTeam,
  Roster,
  TeamForm,
  TransferCaptaincy,
  useTeam,
} from '../../features/teams';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

export function TeamPage() {
  const { teamId = '' } = useParams();
  const me = useOptionalUser();
  const navigate = useNavigate();
  const team = useTeam(teamId);
  const [editing, setEditing] = useState(false);
  const matches = useTeamMatches(teamId);

  if (!team.data || isGone(team.error))
    return <QueryProblem what="team" query={team} signedIn={Boolean(me)} />;
  const data = team.data;
  const { isCaptain, isMember, isOrganizer } = data.access;
  // Captains, co-captains and the league's organizers run the team; the captain leaves only after
  // handing over the captaincy, so they are not offered "Leave".
  const manage = (isCaptain || isOrganizer) && !data.archived;
  const myRole = data.members.find((m) => m.userId === me?.id)?.role;
  const division = divisionPath(data.leagueId, data.divisionId);
  const colours = [data.primaryColour, data.secondaryColour].filter((c): c is string => Boolean(c));

  return (
    <Page
      title={data.name}
      eyebrow={`${data.leagueName} · ${data.seasonName}`}
      lead={
        <>
          <Link to={`/leagues/${data.leagueId}`}>{data.leagueName}</Link> ·{' '}
          <Link to={division}>{data.divisionName}</Link>
        </>
      }
    >
      {data.archived ? (
        <Banner tone="info" title="This team is archived">
          It has left the league; its results stay.
        </Banner>
      ) : null}
      <div className="grid">
        <Card title="Team">
          <dl className="summary">
            <div className="summary__row">
              <dt>Home venue</dt>
              <dd>{data.homeVenue ?? 'Not set'}</dd>
            </div>
            <div className="summary__row">
              <dt>Colours</dt>
              <dd>
                {colours.length === 0 ? (
                  'Not set'
                ) : (
                  <span className="tag-list">
                    {colours.map((colour) => (
                      <span key={colour} className="with-swatch">
                        <ColourSwatch colour={colour} />
                        {colour}
                      </span>
                    ))}
                  </span>
                )}
              </dd>
            </div>
          </dl>
          {manage ? (
            editing ? (
              <TeamForm mode="edit" team={data} onSaved={() => setEditing(false)} />
            ) : (
              <div>
                <Button variant="secondary" onClick={() => setEditing(true)}>
                  Edit team
                </Button>
              </div>
            )
          ) : null}
        </Card>
        <Card title="Roster">
          <Roster team={data} meId={me?.id ?? null} manage={manage} />
        </Card>
      </div>

      <Card title="Results and stats">
        <TeamStatsPanel teamId={data.id} teamName={data.name} />
      </Card>

      <Card title="Schedule">
        {matches.data ? (
          matches.data.length > 0 ? (
            <MatchList
              matches={matches.data}
              label={`Matches of ${data.name}`}
              manage={isOrganizer}
            />
          ) : (
            <p className="muted">No matches scheduled yet.</p>
          )
        ) : matches.isError ? (
          <Banner tone="error">{describeError(matches.error)}</Banner>
        ) : matches.fetchStatus === 'paused' ? (
          <p className="muted">The schedule will appear when you are back online.</p>
        ) : (
          <Loading label="Loading the schedule…" />
        )}
      </Card>

      {me && isMember ? (
        <Card title="Team calendar">
          <CalendarSubscribe teamId={data.id} teamName={data.name} />
        </Card>
      ) : null}

      {manage ? (
        <Card title="Invite players">
          <InvitesPanel teamId={data.id} />
        </Card>
      ) : null}

      {/* Only the captain, or an organizer of the league, hands over the captaincy. */}
      {(myRole === 'captain' || isOrganizer) && !data.archived ? (
        <Card title="Captaincy">
          <TransferCaptaincy team={data} actingIsCaptain={myRole === 'captain'} />
        </Card>
      ) : null}

      {me && isMember && myRole !== 'captain' ? (
        <Card title="Leave the team">
          <LeaveTeam team={data} meId={me.id} onLeft={() => void navigate('/')} />
        </Card>
      ) : null}

      {manage ? (
        <Card title="Delete the team">
          <DeleteTeam team={data} onDeleted={() => void navigate(division)} />
        </Card>
      ) : null}
    </Page>
  );
}
