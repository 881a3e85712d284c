import { useState } from 'react';
import type { League } from '#domain/schemas/leagues';
import { Button, NeedsConnection, TypeToConfirm } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useDeleteLeague } from './api';

/** Deletes a league once its name is typed; the API refuses (409) while it has teams. */
export function DeleteLeague({ league, onDeleted }: { league: League; onDeleted: () => void }) {
  const online = useIsOnline();
  const [open, setOpen] = useState(false);
  const remove = useDeleteLeague(league.id);
  const teams = league.seasons.reduce(
    (sum, season) => sum + season.divisions.reduce((n, d) => n + d.teamCount, 0),
    0,
  );
  if (teams > 0) {
    return (
      <p className="muted">
        A league with teams cannot be deleted. Its teams must be deleted first.
      </p>
    );
  }
  return (
    <div className="stack stack--tight">
      <div>
        <Button variant="secondary" disabled={!online} onClick={() => setOpen(true)}>
          Delete league
        </Button>
      </div>
      <NeedsConnection online={online}>Deleting a league needs a connection.</NeedsConnection>
      <TypeToConfirm
        open={open}
        onClose={() => {
          setOpen(false);
          remove.reset();
        }}
        what="league"
        name={league.name}
        online={online}
        busy={remove.isPending}
        failure={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => remove.mutate(newIdempotencyKey(), { onSuccess: onDeleted })}
      >
        <p>The league, its seasons and its divisions will be removed for good.</p>
      </TypeToConfirm>
    </div>
  );
}
