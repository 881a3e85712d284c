import { useState } from 'react';
import type { Member, MemberStatus, Team } from '#domain/schemas/teams';
import { MemberStatus as MemberStatusSchema } from '#domain/schemas/teams';
import { Badge, Banner, Button, NeedsConnection, Select } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useRemoveMember, useUpdateMember } from './api';
import { ROLE_NAMES, STATUS_NAMES } from './labels';

const STATUS_OPTIONS = MemberStatusSchema.options.map((status) => ({
  value: status,
  label: STATUS_NAMES[status],
}));

const ROLE_OPTIONS = [
  { value: 'player', label: ROLE_NAMES.player },
  { value: 'co_captain', label: ROLE_NAMES.co_captain },
];

/**
 * The roster with each member's role and status, and "n of max" against the league's limit.
 * With `manage` (captains and organizers) it sets statuses and co-captains, and removes members;
 * `meId` marks the user's own row.
 */
export function Roster({
  team,
  meId,
  manage,
}: {
  team: Team;
  meId: string | null;
  manage: boolean;
}) {
  const online = useIsOnline();
  const update = useUpdateMember(team.id);
  const remove = useRemoveMember(team);
  const [confirmRemove, setConfirmRemove] = useState<Member | null>(null);
  const count = team.members.length;
  const short = count < team.rosterMin;

  return (
    <div className="stack">
      <p>
        <strong>
          {count} of {team.rosterMax}
        </strong>{' '}
        players
        {short ? <span className="muted"> · at least {team.rosterMin} needed to play</span> : null}
      </p>
      <ul className="item-list" aria-label="Roster">
        {team.members.map((member) => (
          <li key={member.userId} className="item-list__row item-list__row--wrap">
            <span className="item-list__main">
              <span>
                {member.displayName}
                {member.userId === meId ? <span className="muted"> (you)</span> : null}
              </span>
              <span className="tag-list">
                {member.role !== 'player' ? <Badge>{ROLE_NAMES[member.role]}</Badge> : null}
                <span className={`status status--${member.status}`}>
                  {STATUS_NAMES[member.status]}
                </span>
              </span>
            </span>
            {manage ? (
              <span className="member-controls">
                <Select
                  id={`status-${member.userId}`}
                  label={`Status of ${member.displayName}`}
                  options={STATUS_OPTIONS}
                  value={member.status}
                  disabled={update.isPending}
                  onChange={(e) =>
                    update.mutate({
                      userId: member.userId,
                      change: { status: e.target.value as MemberStatus },
                      idempotencyKey: newIdempotencyKey(),
                    })
                  }
                />
                {member.role !== 'captain' ? (
                  <>
                    <Select
                      id={`role-${member.userId}`}
                      label={`Role of ${member.displayName}`}
                      options={ROLE_OPTIONS}
                      value={member.role}
                      disabled={update.isPending}
                      onChange={(e) =>
                        update.mutate({
                          userId: member.userId,
                          change: { role: e.target.value as 'player' | 'co_captain' },
                          idempotencyKey: newIdempotencyKey(),
                        })
                      }
                    />
                    {member.userId === meId ? null : confirmRemove?.userId === member.userId ? (
                      <span className="inline-confirm">
                        <Button
                          variant="secondary"
                          disabled={!online}
                          busy={remove.isPending}
                          busyLabel="Removing…"
                          onClick={() =>
                            remove.mutate(
                              { userId: member.userId, idempotencyKey: newIdempotencyKey() },
                              { onSuccess: () => setConfirmRemove(null) },
                            )
                          }
                        >
                          Yes, remove {member.displayName}
                        </Button>
                        <Button variant="quiet" onClick={() => setConfirmRemove(null)}>
                          Keep
                        </Button>
                      </span>
                    ) : (
                      <Button
                        variant="quiet"
                        disabled={!online}
                        onClick={() => setConfirmRemove(member)}
                      >
                        Remove {member.displayName}
                      </Button>
                    )}
                  </>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {update.isPaused ? (
        <p className="muted" role="status">
          The change will be saved when the connection is back.
        </p>
      ) : null}
      {update.isError ? <Banner tone="error">{describeError(update.error)}</Banner> : null}
      {remove.isError ? <Banner tone="error">{describeError(remove.error)}</Banner> : null}
      {manage ? (
        <NeedsConnection online={online}>Removing a member needs a connection.</NeedsConnection>
      ) : null}
    </div>
  );
}
