import { useState } from 'react';
import type { Venue } from '#domain/schemas/venues';
import { Banner, Button, NeedsConnection, QueryPending } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError, pluralize } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useDeleteVenue, useVenues } from './api';
import { VenueForm, WEEKDAY_NAMES } from './VenueForm';

function hoursText(venue: Venue): string {
  return venue.availability.map((h) => `${WEEKDAY_NAMES[h.weekday]} ${h.from}–${h.to}`).join(', ');
}

/** A league's venues: everyone reads them; organizers add, edit and delete. */
export function Venues({ leagueId, manage }: { leagueId: string; manage: boolean }) {
  const venues = useVenues(leagueId);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useDeleteVenue(leagueId);
  const online = useIsOnline();

  if (venues.isError) return <Banner tone="error">{describeError(venues.error)}</Banner>;
  if (!venues.data) {
    return (
      <QueryPending
        query={venues}
        offline="The venues will appear when you are back online."
        loading="Loading venues…"
      />
    );
  }

  return (
    <div className="stack">
      {venues.data.length === 0 ? (
        <p className="muted">No venues yet.</p>
      ) : (
        <ul className="item-list" aria-label="Venues">
          {venues.data.map((venue) => (
            <li key={venue.id} className="item-list__row item-list__row--wrap">
              {editing === venue.id ? (
                <VenueForm
                  leagueId={leagueId}
                  venue={venue}
                  onSaved={() => setEditing(null)}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <>
                  <div className="item-list__main">
                    <strong>{venue.name}</strong>
                    {venue.address ? <span>{venue.address}</span> : null}
                    <span className="muted">
                      {pluralize(venue.courts, 'court')} · {hoursText(venue)}
                    </span>
                  </div>
                  {manage ? (
                    <div className="button-row">
                      <Button
                        variant="secondary"
                        aria-label={`Edit ${venue.name}`}
                        onClick={() => setEditing(venue.id)}
                      >
                        Edit
                      </Button>
                      {confirming === venue.id ? (
                        <>
                          <Button
                            variant="secondary"
                            disabled={!online}
                            busy={remove.isPending}
                            busyLabel="Deleting…"
                            onClick={() =>
                              remove.mutate(
                                { venueId: venue.id, idempotencyKey: newIdempotencyKey() },
                                { onSuccess: () => setConfirming(null) },
                              )
                            }
                          >
                            Yes, delete {venue.name}
                          </Button>
                          <Button variant="quiet" onClick={() => setConfirming(null)}>
                            Keep it
                          </Button>
                        </>
                      ) : (
                        <Button
                          variant="quiet"
                          disabled={!online}
                          aria-label={`Delete ${venue.name}`}
                          onClick={() => setConfirming(venue.id)}
                        >
                          Delete
                        </Button>
                      )}
                    </div>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError ? <Banner tone="error">{describeError(remove.error)}</Banner> : null}
      {manage ? (
        <>
          <NeedsConnection online={online}>Deleting a venue needs a connection.</NeedsConnection>
          {adding ? (
            <VenueForm
              leagueId={leagueId}
              onSaved={() => setAdding(false)}
              onCancel={() => setAdding(false)}
            />
          ) : (
            <div>
              <Button variant="secondary" onClick={() => setAdding(true)}>
                Add a venue
              </Button>
            </div>
          )}
        </>
      ) : null}
    </div>
  );
}
