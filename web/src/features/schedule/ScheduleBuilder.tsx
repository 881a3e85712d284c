import { useEffect, useRef, useState } from 'react';
import {
  ScheduleSettings,
  type ScheduleDraft,
  type ScheduleSettings as Settings,
  type DraftMatch,
} from '#domain/schemas/schedule';
import { type Venue } from '#domain/schemas/venues';
import { WEEKDAYS, type Weekday } from '#domain/schemas/dates';
import {
  Banner,
  Button,
  Checkbox,
  DateField,
  Fieldset,
  FormErrorSummary,
  NeedsConnection,
  Select,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import { describeError, pluralize, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { useDraftSchedule, usePublishSchedule } from './api';
import { formatMatchDate } from '../matches';

const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** A comma- or space-separated list, e.g. "18:00, 20:00". */
function list(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A whole number, or NaN so the schema says what is wrong. */
function wholeNumber(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

const ID = {
  matchDays: 'schedule-matchDays',
  timeSlots: 'schedule-timeSlots',
  matchMinutes: 'schedule-matchMinutes',
  roundsPerWeek: 'schedule-roundsPerWeek',
  courtsPerMatch: 'schedule-courtsPerMatch',
  blackoutDates: 'schedule-blackoutDates',
  startsOn: 'schedule-startsOn',
  endsOn: 'schedule-endsOn',
  homeVenues: 'schedule-homeVenues',
  home: (teamId: string) => `schedule-home-${teamId}`,
  away: (teamId: string) => `schedule-unavailable-${teamId}`,
};

interface Values {
  matchDays: Weekday[];
  timeSlots: string;
  matchMinutes: string;
  roundsPerWeek: string;
  courtsPerMatch: string;
  doubleRoundRobin: boolean;
  blackoutDates: string;
  startsOn: string;
  endsOn: string;
  /** The venue chosen for each team, by the team's id. */
  homeVenues: Record<string, string>;
  /** The dates each team cannot play, as typed, by the team's id. */
  unavailable: Record<string, string>;
}

export interface ScheduleBuilderProps {
  divisionId: string;
  teams: readonly { id: string; name: string }[];
  venues: readonly Venue[];
  /** Called after publishing, with how many matches were created. */
  onPublished?: (created: number) => void;
}

/**
 * The organizer's schedule builder: settings → "Preview draft" (nothing saved) → review the rounds
 * and what could not be met → "Publish" with the draft's hash.
 */
export function ScheduleBuilder({ divisionId, teams, venues, onPublished }: ScheduleBuilderProps) {
  const online = useIsOnline();
  const [reviewed, setReviewed] = useState<{ settings: Settings; draft: ScheduleDraft } | null>(
    null,
  );
  const draft = useDraftSchedule(divisionId);
  const draftHeading = useRef<HTMLHeadingElement>(null);
  // A new draft moves focus to its review, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (reviewed) draftHeading.current?.focus();
  }, [reviewed]);
  const publish = usePublishSchedule(divisionId);

  function locate(field: string): FieldTarget | null {
    const [head, index] = field.split('.');
    if (head === 'matchDays') return { targetId: ID.matchDays, label: 'Match days' };
    if (head === 'timeSlots') return { targetId: ID.timeSlots, label: 'Start times' };
    if (head === 'matchMinutes')
      return {
        targetId: ID.matchMinutes,
        label: 'Match length',
        message: 'Minutes from 15 to 720',
      };
    if (head === 'roundsPerWeek')
      return { targetId: ID.roundsPerWeek, label: 'Rounds per week', message: 'From 1 to 7' };
    if (head === 'courtsPerMatch')
      return { targetId: ID.courtsPerMatch, label: 'Courts per match', message: 'From 1 to 20' };
    if (head === 'blackoutDates') return { targetId: ID.blackoutDates, label: 'Blackout dates' };
    if (head === 'startsOn') return { targetId: ID.startsOn, label: 'First match date' };
    if (head === 'endsOn') return { targetId: ID.endsOn, label: 'Last match date' };
    if (head === 'homeVenues') {
      const team = index !== undefined ? teams[Number(index)] : undefined;
      return team
        ? { targetId: ID.home(team.id), label: `Home venue of ${team.name}` }
        : { targetId: ID.homeVenues, label: 'Home venues' };
    }
    if (head === 'unavailableDates') {
      // One entry per team, in the teams' order (see currentInput).
      const team = index !== undefined ? teams[Number(index)] : undefined;
      if (team) return { targetId: ID.away(team.id), label: `Dates ${team.name} cannot play` };
    }
    return null;
  }
  function currentInput(values: Values) {
    const { startsOn, endsOn, courtsPerMatch, homeVenues, unavailable } = values;
    return {
      ...(startsOn ? { startsOn } : {}),
      ...(endsOn ? { endsOn } : {}),
      matchDays: WEEKDAYS.filter((d) => values.matchDays.includes(d)),
      timeSlots: list(values.timeSlots),
      matchMinutes: wholeNumber(values.matchMinutes),
      roundsPerWeek: wholeNumber(values.roundsPerWeek),
      ...(courtsPerMatch.trim() ? { courtsPerMatch: wholeNumber(courtsPerMatch) } : {}),
      doubleRoundRobin: values.doubleRoundRobin,
      blackoutDates: list(values.blackoutDates),
      homeVenues: teams.map((t) => ({ teamId: t.id, venueId: homeVenues[t.id] ?? '' })),
      unavailableDates: teams.map((t) => ({ teamId: t.id, dates: list(unavailable[t.id] ?? '') })),
    };
  }
  const { form, summary, errorFor, field, showProblem, onSubmit } = useSchemaForm<
    Values,
    typeof ScheduleSettings
  >({
    schema: ScheduleSettings,
    defaultValues: {
      matchDays: ['tue', 'thu'],
      timeSlots: '18:00, 20:00',
      matchMinutes: '120',
      roundsPerWeek: '1',
      courtsPerMatch: '',
      doubleRoundRobin: false,
      blackoutDates: '',
      startsOn: '',
      endsOn: '',
      homeVenues: Object.fromEntries(
        teams.map((t, i) => [t.id, venues[i % Math.max(venues.length, 1)]?.id ?? '']),
      ),
      unavailable: {},
    },
    toInput: currentInput,
    locate,
    check: ({ homeVenues }) =>
      teams
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => !homeVenues[t.id])
        .map(({ i }) => ({ field: `homeVenues.${i}`, message: 'Choose a home venue' })),
  });

  function preview() {
    const settings = currentInput(form.getValues()) as Settings;
    draft.mutate(settings, {
      onSuccess: (answer) => setReviewed({ settings, draft: answer }),
      onError: showProblem,
    });
  }

  const values = form.watch();
  const stale =
    reviewed !== null && JSON.stringify(reviewed.settings) !== JSON.stringify(currentInput(values));
  const unplaced = reviewed?.draft.matches.filter((m) => m.awayTeamId && !m.date).length ?? 0;

  return (
    <div className="stack">
      <form
        className="form"
        noValidate
        onSubmit={onSubmit(preview, () => {
          draft.reset();
          publish.reset();
        })}
        aria-label="Build the schedule"
      >
        <FormErrorSummary {...summary} />
        {draft.isError && !problemFieldErrors(draft.error) ? (
          <Banner tone="error">{describeError(draft.error)}</Banner>
        ) : null}
        {venues.length === 0 ? (
          <Banner tone="warning">
            Add the league&apos;s venues on the league page first: each team needs a home venue.
          </Banner>
        ) : null}
        <Fieldset id={ID.matchDays} legend="Match days" error={errorFor(ID.matchDays)}>
          <div className="choices choices--inline">
            {WEEKDAYS.map((day) => (
              <Checkbox
                key={day}
                id={`${ID.matchDays}-${day}`}
                label={WEEKDAY_LABELS[day]}
                value={day}
                {...form.register('matchDays')}
              />
            ))}
          </div>
        </Fieldset>
        <TextField
          label="Start times"
          hint="24-hour clock, separated by commas, e.g. 18:00, 20:00"
          {...field('timeSlots', ID.timeSlots)}
        />
        <div className="field-row">
          <TextField
            label="Match length"
            labelSuffix="(minutes)"
            inputMode="numeric"
            {...field('matchMinutes', ID.matchMinutes)}
          />
          <TextField
            label="Rounds per week"
            inputMode="numeric"
            {...field('roundsPerWeek', ID.roundsPerWeek)}
          />
        </div>
        <TextField
          label="Courts per match"
          labelSuffix="(optional)"
          hint="Default: one court per line of the league's match format"
          inputMode="numeric"
          {...field('courtsPerMatch', ID.courtsPerMatch)}
        />
        <Checkbox
          id="schedule-doubleRoundRobin"
          label="Double round robin (every pairing home and away)"
          {...form.register('doubleRoundRobin')}
        />
        <div className="field-row">
          <DateField
            label="First match date"
            labelSuffix="(optional)"
            hint="Default: the season's start"
            {...field('startsOn', ID.startsOn)}
          />
          <DateField
            label="Last match date"
            labelSuffix="(optional)"
            hint="Default: the season's end"
            {...field('endsOn', ID.endsOn)}
          />
        </div>
        <TextField
          label="Blackout dates"
          labelSuffix="(optional)"
          hint="No matches on these days: YYYY-MM-DD, separated by commas"
          {...field('blackoutDates', ID.blackoutDates)}
        />
        <Fieldset id={ID.homeVenues} legend="Home venues" error={errorFor(ID.homeVenues)}>
          <div className="stack stack--tight">
            {teams.map((team) => (
              <Select
                key={team.id}
                id={ID.home(team.id)}
                label={`Home venue of ${team.name}`}
                placeholder="Choose a venue"
                options={venues.map((v) => ({ value: v.id, label: v.name }))}
                {...form.register(`homeVenues.${team.id}`)}
                error={errorFor(ID.home(team.id))}
              />
            ))}
          </div>
        </Fieldset>
        <Fieldset
          id="schedule-unavailable"
          legend="Dates a team cannot play (optional)"
          hint="The draft gives a team no match on its dates; what cannot be met is listed."
        >
          <div className="stack stack--tight">
            {teams.map((team) => (
              <TextField
                key={team.id}
                id={ID.away(team.id)}
                label={`Dates ${team.name} cannot play`}
                hint="YYYY-MM-DD, separated by commas"
                {...form.register(`unavailable.${team.id}`)}
                error={errorFor(ID.away(team.id))}
              />
            ))}
          </div>
        </Fieldset>
        <NeedsConnection online={online}>
          The draft is worked out on the server: connect to preview it.
        </NeedsConnection>
        <div className="form__actions">
          <Button
            type="submit"
            variant="secondary"
            disabled={!online}
            busy={draft.isPending}
            busyLabel="Working out the draft…"
          >
            Preview draft
          </Button>
        </div>
      </form>

      {publish.isSuccess ? (
        <Banner tone="success" title="Schedule published">
          {pluralize(publish.data.created, 'match', 'matches')} created
          {publish.data.moved ? `, ${publish.data.moved} moved` : ''}
          {publish.data.kept ? `, ${publish.data.kept} kept` : ''}. The teams can see them now.
        </Banner>
      ) : null}

      {reviewed && !publish.isSuccess ? (
        <section className="draft" aria-labelledby="draft-title">
          <h3 id="draft-title" className="section-title" tabIndex={-1} ref={draftHeading}>
            Draft to review
          </h3>
          <DraftReview draft={reviewed.draft} venues={venues} />
          {stale ? (
            <Banner tone="warning">
              The settings changed since this preview: preview the draft again before publishing.
            </Banner>
          ) : null}
          {unplaced > 0 ? (
            <Banner tone="warning">
              {pluralize(unplaced, 'match', 'matches')} could not be placed. Change the settings
              (more match days, start times or dates) and preview again to publish.
            </Banner>
          ) : null}
          {publish.isError ? (
            <Banner tone="error">
              {isApiError(publish.error, 409)
                ? 'The draft no longer matches the teams, venues or settings: preview it again.'
                : describeError(publish.error)}
            </Banner>
          ) : null}
          <NeedsConnection online={online}>Publishing needs a connection.</NeedsConnection>
          <div className="form__actions">
            <Button
              disabled={!online || stale || unplaced > 0}
              busy={publish.isPending}
              busyLabel="Publishing…"
              onClick={() =>
                publish.mutate(
                  {
                    settings: reviewed.settings,
                    draftHash: reviewed.draft.draftHash,
                    idempotencyKey: newIdempotencyKey(),
                  },
                  { onSuccess: (result) => onPublished?.(result.created) },
                )
              }
            >
              Publish the schedule
            </Button>
          </div>
        </section>
      ) : null}
    </div>
  );
}

/** The draft by round: dates, times, venues, byes, and each problem next to what it concerns. */
export function DraftReview({
  draft,
  venues,
}: {
  draft: ScheduleDraft;
  venues: readonly Pick<Venue, 'id' | 'name'>[];
}) {
  const teamName = (id: string | null) =>
    draft.teams.find((t) => t.id === id)?.name ?? 'Unknown team';
  const venueName = (id: string | null) => venues.find((v) => v.id === id)?.name ?? 'No venue';
  const rounds = new Map<number, DraftMatch[]>();
  for (const match of draft.matches)
    rounds.set(match.round, [...(rounds.get(match.round) ?? []), match]);
  const general = draft.problems.filter((p) => !p.matchId && p.round === undefined);
  const games = draft.matches.filter((m) => m.awayTeamId).length;

  return (
    <div className="stack">
      <p>
        {pluralize(games, 'match', 'matches')} in {pluralize(rounds.size, 'round')}
        {draft.problems.length === 0
          ? ': every constraint is met.'
          : `; ${pluralize(draft.problems.length, 'constraint')} could not be met.`}
      </p>
      {general.length > 0 ? (
        <ul className="problem-list" aria-label="Problems with the whole schedule">
          {general.map((p, i) => (
            <li key={i} className="problem">
              {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {[...rounds.entries()]
        .sort(([a], [b]) => a - b)
        .map(([round, matches]) => {
          const roundProblems = draft.problems.filter((p) => p.round === round && !p.matchId);
          return (
            <section key={round} className="round" aria-label={`Draft round ${round}`}>
              <h4 className="round__title">Round {round}</h4>
              {roundProblems.length > 0 ? (
                <ul className="problem-list" aria-label={`Problems in round ${round}`}>
                  {roundProblems.map((p, i) => (
                    <li key={i} className="problem">
                      {p.message}
                    </li>
                  ))}
                </ul>
              ) : null}
              <ul className="match-list" aria-label={`Round ${round} of the draft`}>
                {matches.map((m) => {
                  const problems = draft.problems.filter((p) => p.matchId === m.id);
                  if (!m.awayTeamId)
                    return (
                      <li key={m.id} className="match match--bye">
                        <p className="match__teams">{teamName(m.homeTeamId)} has a bye</p>
                      </li>
                    );
                  return (
                    <li key={m.id} className={m.date ? 'match' : 'match match--unplaced'}>
                      <div className="match__when">
                        {m.date ? (
                          <span className="match__date">
                            {formatMatchDate(m.date)} · {m.startTime ?? ''}
                          </span>
                        ) : (
                          <span className="match__status match__status--cancelled">Not placed</span>
                        )}
                      </div>
                      <p className="match__teams">
                        {teamName(m.homeTeamId)} vs {teamName(m.awayTeamId)}
                      </p>
                      <p className="match__meta">{m.date ? venueName(m.venueId) : 'No date yet'}</p>
                      {problems.length > 0 ? (
                        <ul className="problem-list" aria-label="Problems with this match">
                          {problems.map((p, i) => (
                            <li key={i} className="problem">
                              {p.message}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
    </div>
  );
}
