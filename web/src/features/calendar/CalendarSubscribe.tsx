import { useId, useState } from 'react';
import { Banner, Button, NeedsConnection } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useCreateFeed, useRevokeFeed } from './api';

/**
 * Makes a secret iCal feed (mine, or a team's) and shows its URL once, with a copy button and how
 * to subscribe; the feed can be turned off again while the URL is on screen.
 */
export function CalendarSubscribe({ teamId, teamName }: { teamId?: string; teamName?: string }) {
  const online = useIsOnline();
  const create = useCreateFeed(teamId);
  const revoke = useRevokeFeed();
  const inputId = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const label = teamId ? 'Subscribe to the team calendar' : 'Subscribe in your calendar';
  const feed = create.data;

  if (feed && !revoke.isSuccess) {
    return (
      <div className="stack stack--tight">
        <div className="share-link">
          <label className="field__label" htmlFor={inputId}>
            Calendar feed address
          </label>
          <div className="share-link__row">
            <input
              id={inputId}
              className="input"
              readOnly
              value={feed.url}
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button
              variant="secondary"
              onClick={() => {
                navigator.clipboard
                  .writeText(feed.url)
                  .then(() => setCopied('yes'))
                  .catch(() => setCopied('failed'));
              }}
            >
              Copy address
            </Button>
          </div>
          <p className="saved-status" role="status">
            {copied === 'yes'
              ? 'Address copied.'
              : copied === 'failed'
                ? 'Could not copy: select the address and copy it yourself.'
                : null}
          </p>
        </div>
        <p>
          In Google Calendar choose <strong>Other calendars → From URL</strong>; in Apple Calendar{' '}
          <strong>File → New Calendar Subscription</strong>; in Outlook{' '}
          <strong>Add calendar → Subscribe from web</strong>. Paste this address.
          {teamName ? ` ${teamName}'s` : ' Your'} matches then appear and stay up to date,
          cancellations and new dates included.
        </p>
        <p className="muted">
          This address is shown only now and works without signing in: keep it private. Anyone who
          has it can see these matches.
        </p>
        <div className="button-row">
          <Button
            variant="quiet"
            disabled={!online}
            busy={revoke.isPending}
            busyLabel="Turning off…"
            onClick={() => revoke.mutate({ feedId: feed.id, idempotencyKey: newIdempotencyKey() })}
          >
            Turn this feed off
          </Button>
        </div>
        {revoke.isError ? <Banner tone="error">{describeError(revoke.error)}</Banner> : null}
      </div>
    );
  }

  return (
    <div className="stack stack--tight">
      {revoke.isSuccess ? (
        <Banner tone="success">The feed is off: its address no longer works.</Banner>
      ) : null}
      <p>
        Get {teamName ? `${teamName}'s` : 'your'} matches in Google Calendar, Apple Calendar or
        Outlook, kept up to date automatically.
      </p>
      {create.isError ? <Banner tone="error">{describeError(create.error)}</Banner> : null}
      <div>
        <Button
          variant="secondary"
          disabled={!online}
          busy={create.isPending}
          busyLabel="Creating the feed…"
          onClick={() => {
            revoke.reset();
            create.mutate(newIdempotencyKey());
          }}
        >
          {label}
        </Button>
      </div>
      <NeedsConnection online={online}>
        A calendar feed is made on the server: connect to subscribe.
      </NeedsConnection>
    </div>
  );
}
