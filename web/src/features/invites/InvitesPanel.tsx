import { useId, useState } from 'react';
import type { Invite } from '#domain/schemas/invites';
import { EmailInviteInput, LinkInviteInput } from '#domain/schemas/invites';
import {
  Banner,
  Button,
  FormErrorSummary,
  NeedsConnection,
  QueryPending,
  TextField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatInstantDate } from '../../lib/dates';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { useCreateInvite, useRevokeInvite, useTeamInvites } from './api';

const STATUS_NAMES: Record<Invite['status'], string> = {
  open: 'Open',
  used_up: 'Used up',
  expired: 'Expired',
  revoked: 'Withdrawn',
  declined: 'Declined',
};

/** A whole number as typed, NaN when it is not one, undefined when empty (the default applies). */
function toCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function numberMessage(message: string | undefined): string | undefined {
  return message && /expected number/.test(message) ? 'Enter a whole number' : undefined;
}

/** A link to share, with a button that copies it; the text stays selectable if copying fails. */
export function ShareLink({ url, label }: { url: string; label: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <div className="share-link">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="share-link__row">
        <input
          id={id}
          className="input"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          variant="secondary"
          onClick={() => {
            navigator.clipboard
              .writeText(url)
              .then(() => setCopied('yes'))
              .catch(() => setCopied('failed'));
          }}
        >
          Copy link
        </Button>
      </div>
      <p className="saved-status" role="status">
        {copied === 'yes'
          ? 'Link copied.'
          : copied === 'failed'
            ? 'Could not copy: select the link and copy it yourself.'
            : null}
      </p>
    </div>
  );
}

function LinkInviteForm({ teamId, online }: { teamId: string; online: boolean }) {
  const { form, summary, errorFor, showProblem, onSubmit } = useSchemaForm({
    schema: LinkInviteInput,
    defaultValues: { maxUses: '25', expiresInDays: '14' },
    toInput: ({ maxUses, expiresInDays }) => ({
      kind: 'link',
      maxUses: toCount(maxUses),
      expiresInDays: toCount(expiresInDays),
    }),
    locate: (field, first) => {
      const message = numberMessage(first);
      if (field === 'maxUses') return { targetId: 'invite-maxUses', label: 'Uses', message };
      if (field === 'expiresInDays')
        return { targetId: 'invite-expiresInDays', label: 'Valid for', message };
      return null;
    },
  });
  const create = useCreateInvite(teamId);

  const send: Parameters<typeof onSubmit>[0] = (input) =>
    create.mutate({ input, idempotencyKey: newIdempotencyKey() }, { onError: showProblem });

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, create.reset)}
      aria-labelledby="invite-link-title"
    >
      <h3 className="section-title" id="invite-link-title">
        Share a link
      </h3>
      <FormErrorSummary {...summary} />
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <div className="field-row">
        <TextField
          id="invite-maxUses"
          label="Uses"
          hint="How many people can join with it"
          inputMode="numeric"
          {...form.register('maxUses')}
          error={errorFor('invite-maxUses')}
        />
        <TextField
          id="invite-expiresInDays"
          label="Valid for"
          labelSuffix="(days)"
          inputMode="numeric"
          {...form.register('expiresInDays')}
          error={errorFor('invite-expiresInDays')}
        />
      </div>
      <div className="form__actions">
        <Button type="submit" disabled={!online} busy={create.isPending} busyLabel="Creating link…">
          Create invite link
        </Button>
      </div>
      {create.data?.url ? <ShareLink url={create.data.url} label="Invite link" /> : null}
    </form>
  );
}

function EmailInviteForm({ teamId, online }: { teamId: string; online: boolean }) {
  const { form, summary, errorFor, showProblem, onSubmit } = useSchemaForm({
    schema: EmailInviteInput,
    defaultValues: { email: '', message: '' },
    toInput: ({ email, message }) => ({
      kind: 'email',
      email,
      message: message.trim() === '' ? null : message,
    }),
    locate: (field) => {
      if (field === 'email') return { targetId: 'invite-email', label: 'E-mail' };
      if (field === 'message') return { targetId: 'invite-message', label: 'Message' };
      return null;
    },
  });
  const create = useCreateInvite(teamId);

  const send: Parameters<typeof onSubmit>[0] = (input) =>
    create.mutate(
      { input, idempotencyKey: newIdempotencyKey() },
      { onSuccess: () => form.reset(), onError: showProblem },
    );

  const sent = create.data;
  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, create.reset)}
      aria-labelledby="invite-email-title"
    >
      <h3 className="section-title" id="invite-email-title">
        Invite by e-mail
      </h3>
      <FormErrorSummary {...summary} />
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <TextField
        id="invite-email"
        label="E-mail"
        type="email"
        autoComplete="off"
        {...form.register('email')}
        error={errorFor('invite-email')}
      />
      <TextField
        id="invite-message"
        label="Message"
        labelSuffix="(optional)"
        {...form.register('message')}
        error={errorFor('invite-message')}
      />
      <div className="form__actions">
        <Button
          type="submit"
          variant="secondary"
          disabled={!online}
          busy={create.isPending}
          busyLabel="Inviting…"
        >
          Send invitation
        </Button>
      </div>
      {sent?.delivery === 'sent' ? (
        <Banner tone="success">Invitation e-mailed to {sent.email}.</Banner>
      ) : sent?.url ? (
        <Banner tone="info" title="The e-mail was not sent">
          <div className="stack stack--tight">
            <p>
              This server has no mail server, so nothing was e-mailed to {sent.email}. Send them
              this link yourself:
            </p>
            <ShareLink url={sent.url} label={`Invite link for ${sent.email ?? 'them'}`} />
          </div>
        </Banner>
      ) : null}
    </form>
  );
}

function InviteList({ teamId, online }: { teamId: string; online: boolean }) {
  const invites = useTeamInvites(teamId);
  const revoke = useRevokeInvite(teamId);
  if (!invites.data) {
    return (
      <QueryPending
        query={invites}
        offline="Invitations will appear when you are back online."
        loading="Loading invitations…"
      />
    );
  }
  if (invites.data.length === 0) return <p className="muted">No invitations yet.</p>;
  return (
    <>
      <ul className="item-list" aria-label="Invitations">
        {invites.data.map((invite) => {
          const what = invite.kind === 'email' ? `E-mail to ${invite.email ?? ''}` : 'Link';
          return (
            <li key={invite.id} className="item-list__row item-list__row--wrap">
              <span className="item-list__main">
                <span>
                  {what} ·{' '}
                  <span className={`status status--invite-${invite.status}`}>
                    {STATUS_NAMES[invite.status]}
                  </span>
                </span>
                <span className="muted">
                  Used {invite.uses} of {invite.maxUses} · until{' '}
                  {formatInstantDate(invite.expiresAt)}
                </span>
              </span>
              {invite.status === 'open' ? (
                <Button
                  variant="quiet"
                  disabled={!online || revoke.isPending}
                  aria-label={`Withdraw ${what.toLowerCase()} created ${formatInstantDate(invite.createdAt)}`}
                  onClick={() =>
                    revoke.mutate({ inviteId: invite.id, idempotencyKey: newIdempotencyKey() })
                  }
                >
                  Withdraw
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {revoke.isError ? <Banner tone="error">{describeError(revoke.error)}</Banner> : null}
    </>
  );
}

/** A captain's invitations: share a link, invite by e-mail, see and withdraw what was sent. */
export function InvitesPanel({ teamId }: { teamId: string }) {
  const online = useIsOnline();
  return (
    <div className="stack stack--loose">
      <NeedsConnection online={online}>
        Invitations need a connection: they reserve places on the roster.
      </NeedsConnection>
      <LinkInviteForm teamId={teamId} online={online} />
      <EmailInviteForm teamId={teamId} online={online} />
      <div className="stack">
        <h3 className="section-title">Sent</h3>
        <InviteList teamId={teamId} online={online} />
      </div>
    </div>
  );
}
