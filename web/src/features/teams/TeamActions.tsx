import { useState } from 'react';
import { CaptainTransfer, type Team } from '#domain/schemas/teams';
import {
  Banner,
  Button,
  FormErrorSummary,
  NeedsConnection,
  Select,
  TypeToConfirm,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { useDeleteTeam, useRemoveMember, useTransferCaptaincy } from './api';
import { locateCaptainField, NEW_CAPTAIN_ID, type CaptaincyValues } from './captaincyForm';

/**
 * The captain (or an organizer of the league) hands the captaincy to another member; the old
 * captain becomes a co-captain.
 */
export function TransferCaptaincy({
  team,
  actingIsCaptain,
}: {
  team: Team;
  actingIsCaptain: boolean;
}) {
  const online = useIsOnline();
  const others = team.members.filter((m) => m.role !== 'captain');
  const { summary, field, onSubmit } = useSchemaForm({
    schema: CaptainTransfer,
    defaultValues: { userId: '' },
    toInput: (values: CaptaincyValues) => values,
    locate: locateCaptainField,
  });
  const transfer = useTransferCaptaincy(team.id);

  if (others.length === 0) {
    return <p className="muted">Once someone has joined, you can make them captain.</p>;
  }

  const send = ({ userId }: { userId: string }) =>
    transfer.mutate({ userId, idempotencyKey: newIdempotencyKey() });

  return (
    <form className="form" noValidate onSubmit={onSubmit(send)}>
      <FormErrorSummary {...summary} />
      {transfer.isError ? <Banner tone="error">{describeError(transfer.error)}</Banner> : null}
      <Select
        {...field('userId', NEW_CAPTAIN_ID)}
        label="New captain"
        hint={
          actingIsCaptain
            ? 'You will become a co-captain.'
            : 'The current captain will become a co-captain.'
        }
        placeholder="Choose a member"
        options={others.map((m) => ({ value: m.userId, label: m.displayName }))}
      />
      <div className="form__actions">
        <Button
          type="submit"
          variant="secondary"
          disabled={!online}
          busy={transfer.isPending}
          busyLabel="Handing over…"
        >
          Make captain
        </Button>
      </div>
      <NeedsConnection online={online}>
        Handing over the captaincy needs a connection.
      </NeedsConnection>
    </form>
  );
}

/** A member leaves the team; a captain must hand over the captaincy first (the API says 409). */
export function LeaveTeam({
  team,
  meId,
  onLeft,
}: {
  team: Team;
  meId: string;
  onLeft: () => void;
}) {
  const online = useIsOnline();
  const [confirming, setConfirming] = useState(false);
  const leave = useRemoveMember(team);
  return (
    <div className="stack stack--tight">
      {leave.isError ? <Banner tone="error">{describeError(leave.error)}</Banner> : null}
      {confirming ? (
        <div className="inline-confirm">
          <p>Leave {team.name}? You will need a new invitation to come back.</p>
          <Button
            variant="secondary"
            disabled={!online}
            busy={leave.isPending}
            busyLabel="Leaving…"
            onClick={() =>
              leave.mutate(
                { userId: meId, idempotencyKey: newIdempotencyKey() },
                { onSuccess: onLeft },
              )
            }
          >
            Yes, leave the team
          </Button>
          <Button variant="quiet" onClick={() => setConfirming(false)}>
            Stay
          </Button>
        </div>
      ) : (
        <div>
          <Button variant="secondary" disabled={!online} onClick={() => setConfirming(true)}>
            Leave team
          </Button>
        </div>
      )}
      <NeedsConnection online={online}>Leaving a team needs a connection.</NeedsConnection>
    </div>
  );
}

/**
 * Deleting a team asks for its name, typed. A team that has played matches is archived by the
 * server instead, and its results stay.
 */
export function DeleteTeam({ team, onDeleted }: { team: Team; onDeleted: () => void }) {
  const online = useIsOnline();
  const [open, setOpen] = useState(false);
  const remove = useDeleteTeam(team);
  return (
    <div className="stack stack--tight">
      <div>
        <Button variant="secondary" disabled={!online} onClick={() => setOpen(true)}>
          Delete team
        </Button>
      </div>
      <NeedsConnection online={online}>Deleting a team needs a connection.</NeedsConnection>
      <TypeToConfirm
        open={open}
        onClose={() => {
          setOpen(false);
          remove.reset();
        }}
        what="team"
        name={team.name}
        online={online}
        busy={remove.isPending}
        failure={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => remove.mutate(newIdempotencyKey(), { onSuccess: onDeleted })}
      >
        <p>
          The team and its roster will be removed. If it has played matches it is archived instead,
          and its results stay.
        </p>
      </TypeToConfirm>
    </div>
  );
}
