import { useState } from 'react';
import { Link } from 'react-router';
import type { League, Season } from '#domain/schemas/leagues';
import { Banner, Button, NeedsConnection } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { describeError, pluralize } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useDeleteDivision, useUpdateSeason } from './api';
import { DivisionForm } from './DivisionForm';
import { levelBand } from './labels';
import { SeasonForm } from './SeasonForm';

/** The path of a division's page. */
export function divisionPath(leagueId: string, divisionId: string): string {
  return `/leagues/${leagueId}/divisions/${divisionId}`;
}

/** One season: dates, registration, its divisions with team counts, and organizers' controls. */
export function SeasonSection({ league, season }: { league: League; season: Season }) {
  const online = useIsOnline();
  const isOrganizer = league.access.isOrganizer;
  const updateSeason = useUpdateSeason(league.id);
  const deleteDivision = useDeleteDivision(league.id);
  const headingId = `season-${season.id}`;
  const [editing, setEditing] = useState(false);

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        {season.name}
      </h2>
      <div className="card__body stack">
        <p className="muted">
          {formatDate(season.startsOn)} to {formatDate(season.endsOn)} ·{' '}
          {season.registrationOpen ? 'Registration open' : 'Registration closed'}
        </p>
        {isOrganizer && editing ? (
          <SeasonForm
            leagueId={league.id}
            season={season}
            onSaved={() => setEditing(false)}
            onCancel={() => setEditing(false)}
          />
        ) : null}
        {isOrganizer && !editing ? (
          <div className="stack stack--tight">
            <div className="button-row">
              <Button variant="secondary" onClick={() => setEditing(true)}>
                Edit season
              </Button>
              <Button
                variant="secondary"
                busy={updateSeason.isPending}
                busyLabel="Saving…"
                onClick={() =>
                  updateSeason.mutate({
                    seasonId: season.id,
                    input: { registrationOpen: !season.registrationOpen },
                    version: season.version,
                    idempotencyKey: newIdempotencyKey(),
                  })
                }
              >
                {season.registrationOpen ? 'Close registration' : 'Open registration'}
              </Button>
            </div>
            {updateSeason.isPaused ? (
              <p className="muted">Will be saved when the connection is back.</p>
            ) : null}
            {updateSeason.isError ? (
              <Banner tone="error">{describeError(updateSeason.error)}</Banner>
            ) : null}
          </div>
        ) : null}

        <h3 className="section-title">Divisions</h3>
        {season.divisions.length === 0 ? (
          <p className="muted">No divisions yet.</p>
        ) : (
          <ul className="item-list">
            {season.divisions.map((division) => {
              const band = levelBand(division.levelMin, division.levelMax);
              return (
                <li key={division.id} className="item-list__row">
                  <span className="item-list__main">
                    <Link to={divisionPath(league.id, division.id)}>{division.name}</Link>
                    <span className="muted">
                      {band ? `${band} · ` : ''}
                      {pluralize(division.teamCount, 'team')}
                    </span>
                  </span>
                  {isOrganizer && division.teamCount === 0 ? (
                    <Button
                      variant="quiet"
                      disabled={!online || deleteDivision.isPending}
                      aria-label={`Delete division ${division.name}`}
                      onClick={() =>
                        deleteDivision.mutate({
                          divisionId: division.id,
                          idempotencyKey: newIdempotencyKey(),
                        })
                      }
                    >
                      Delete
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        {deleteDivision.isError ? (
          <Banner tone="error">{describeError(deleteDivision.error)}</Banner>
        ) : null}
        {isOrganizer ? (
          <>
            <NeedsConnection online={online}>
              Deleting a division needs a connection.
            </NeedsConnection>
            <h3 className="section-title">Add a division</h3>
            <DivisionForm leagueId={league.id} seasonId={season.id} />
          </>
        ) : null}
      </div>
    </section>
  );
}
