import { useState } from 'react';
import { Banner, Card, Loading } from '../../components';
import { CalendarSubscribe } from '../../features/calendar';
import { MatchList, useMyMatches, type When } from '../../features/schedule';
import { describeError } from '../../lib/forms';
import { Page } from '../Page';

const TABS: { when: When; label: string }[] = [
  { when: 'upcoming', label: 'Upcoming' },
  { when: 'past', label: 'Past' },
];

/** My schedule across all my teams and leagues, upcoming or past, and my calendar feed. */
export function SchedulePage() {
  const [when, setWhen] = useState<When>('upcoming');
  const matches = useMyMatches(when);
  const label = when === 'upcoming' ? 'Upcoming matches' : 'Past matches';
  return (
    <Page title="My schedule" lead="Every match of all your teams, in every league.">
      <div className="tabs" role="group" aria-label="Which matches">
        {TABS.map((tab) => (
          <button
            key={tab.when}
            type="button"
            className="tabs__tab"
            aria-pressed={when === tab.when}
            onClick={() => setWhen(tab.when)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <Card title={label}>
        {matches.data ? (
          matches.data.length > 0 ? (
            <MatchList matches={matches.data} label={label} showLeague forPlayer />
          ) : (
            <p className="muted">
              {when === 'upcoming' ? 'No upcoming matches.' : 'No past matches yet.'}
            </p>
          )
        ) : matches.isError ? (
          <Banner tone="error">{describeError(matches.error)}</Banner>
        ) : matches.fetchStatus === 'paused' ? (
          <p className="muted">Your matches will appear when you are back online.</p>
        ) : (
          <Loading label="Loading your matches…" />
        )}
      </Card>
      <Card title="Calendar">
        <CalendarSubscribe />
      </Card>
    </Page>
  );
}
