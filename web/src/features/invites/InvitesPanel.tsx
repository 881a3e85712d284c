import { useId, useState, type FormEvent } from 'react';
import type { Invite } from '#domain/schemas/invites';
import { EmailInviteInput, LinkInviteInput } from '#domain/schemas/invites';
import type { FieldError } from '#domain/schemas/problem';
import {
  Banner,
  Button,
  FormErrorSummary,
  Loading,
  NeedsConnection,
  TextField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FieldTarget,
  type FormError,
} from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useCreateInvite, useRevokeInvite, useTeamInvites } from './api';

const STATUS_NAMES: Record<Invite['status'], string> = {
  open: 'Open',
  used_up: 'Used up',
  expired: 'Expired',
  revoked: 'Withdrawn',
  declined: 'Declined',
};

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

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
  const [maxUses, setMaxUses] = useState('25');
  const [expiresInDays, setExpiresInDays] = useState('14');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateInvite(teamId);

  function locate(field: string, list: readonly FieldError[]): FieldTarget | null {
    const message = numberMessage(list.find((e) => e.field === field)?.message);
    if (field === 'maxUses') return { targetId: 'invite-maxUses', label: 'Uses', message };
    if (field === 'expiresInDays')
      return { targetId: 'invite-expiresInDays', label: 'Valid for', message };
    return null;
  }
  const place = (list: readonly FieldError[]) => placeErrors(list, (f) => locate(f, list));

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    const result = validate(LinkInviteInput, {
      kind: 'link',
      maxUses: toCount(maxUses),
      expiresInDays: toCount(expiresInDays),
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    create.mutate(
      { input: result.data, idempotencyKey: newIdempotencyKey() },
      {
        onError: (error) => {
          const fieldErrors = problemFieldErrors(error);
          if (fieldErrors) showErrors(place(fieldErrors));
        },
      },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="invite-link-title">
      <h3 className="section-title" id="invite-link-title">
        Share a link
      </h3>
      <FormErrorSummary errors={errors} attempt={attempt} />
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <div className="field-row">
        <TextField
          id="invite-maxUses"
          label="Uses"
          hint="How many people can join with it"
          inputMode="numeric"
          value={maxUses}
          onChange={(e) => setMaxUses(e.target.value)}
          error={errorFor(errors, 'invite-maxUses')}
        />
        <TextField
          id="invite-expiresInDays"
          label="Valid for"
          labelSuffix="(days)"
          inputMode="numeric"
          value={expiresInDays}
          onChange={(e) => setExpiresInDays(e.target.value)}
          error={errorFor(errors, 'invite-expiresInDays')}
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
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateInvite(teamId);

  function locate(field: string): FieldTarget | null {
    if (field === 'email') return { targetId: 'invite-email', label: 'E-mail' };
    if (field === 'message') return { targetId: 'invite-message', label: 'Message' };
    return null;
  }
  const place = (list: readonly FieldError[]) => placeErrors(list, locate);

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    const result = validate(EmailInviteInput, {
      kind: 'email',
      email,
      message: message.trim() === '' ? null : message,
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    create.mutate(
      { input: result.data, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: () => {
          setEmail('');
          setMessage('');
        },
        onError: (error) => {
          const fieldErrors = problemFieldErrors(error);
          if (fieldErrors) showErrors(place(fieldErrors));
        },
      },
    );
  }

  const sent = create.data;
  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="invite-email-title">
      <h3 className="section-title" id="invite-email-title">
        Invite by e-mail
      </h3>
      <FormErrorSummary errors={errors} attempt={attempt} />
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <TextField
        id="invite-email"
        label="E-mail"
        type="email"
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errorFor(errors, 'invite-email')}
      />
      <TextField
        id="invite-message"
        label="Message"
        labelSuffix="(optional)"
        value={message}
        onChange={(e) => setMessage(e.target.value)}
        error={errorFor(errors, 'invite-message')}
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
    return invites.isError ? (
      <Banner tone="error">{describeError(invites.error)}</Banner>
    ) : invites.fetchStatus === 'paused' ? (
      <p className="muted">Invitations will appear when you are back online.</p>
    ) : (
      <Loading label="Loading invitations…" />
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
                  {DATE.format(new Date(invite.expiresAt))}
                </span>
              </span>
              {invite.status === 'open' ? (
                <Button
                  variant="quiet"
                  disabled={!online || revoke.isPending}
                  aria-label={`Withdraw ${what.toLowerCase()} created ${DATE.format(new Date(invite.createdAt))}`}
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
