import { useState, type FormEvent } from 'react';
import type { League } from '#domain/schemas/leagues';
import { LEAGUE_SPORTS, LeagueInput } from '#domain/schemas/leagues';
import {
  Banner,
  Button,
  Checkbox,
  Fieldset,
  FormErrorSummary,
  OfflineNotice,
  RadioGroup,
  Select,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FormError,
} from '../../lib/forms';
import type { FieldError } from '#domain/schemas/problem';
import { useCreateLeague, useUpdateLeague } from './api';
import { sportName } from './labels';
import {
  LEAGUE_FIELD_IDS as IDS,
  leagueFormValues,
  leagueInputFrom,
  locateLeagueField,
  moveTiebreaker,
  timeZoneOptions,
  type LeagueFormValues,
} from './leagueFormModel';
import { TIEBREAKER_LABELS, TIEBREAKER_NAMES } from '../standings';

const SPORT_OPTIONS = LEAGUE_SPORTS.map((sport) => ({
  value: sport,
  label: sport === 'custom' ? 'Another sport' : sportName(sport, null),
}));

const VISIBILITY_OPTIONS = [
  {
    value: 'public' as const,
    label: 'Public',
    description: 'Anyone can see its divisions and teams, without signing in.',
  },
  {
    value: 'private' as const,
    label: 'Private',
    description: 'Only its organizers and the players of its teams can see it.',
  },
];

const FINAL_SET_OPTIONS = [
  { value: 'match_tiebreak' as const, label: 'A match tiebreak to 10' },
  { value: 'full_set' as const, label: 'A full set' },
];

const WINNER_OPTIONS = [
  { value: 'lines', label: 'Most lines won' },
  { value: 'sets', label: 'Most sets won' },
  { value: 'games', label: 'Most games won' },
];

const BEST_OF_OPTIONS = [
  { value: '1', label: 'One set' },
  { value: '3', label: 'Best of 3 sets' },
  { value: '5', label: 'Best of 5 sets' },
];

const POINTS_FOR_OPTIONS = [
  {
    value: 'matches' as const,
    label: 'Team matches',
    description: 'A team earns the points of a win, tie or loss once per team match.',
  },
  {
    value: 'lines' as const,
    label: 'Lines',
    description: 'A team earns points for every line it wins, ties or loses.',
  },
];

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function place(errors: readonly FieldError[]): FormError[] {
  return placeErrors(errors, (field) =>
    locateLeagueField(field, errors.find((e) => e.field === field)?.message),
  );
}

export interface LeagueFormProps {
  /** The league to edit; a new league when absent. */
  league?: League;
  submitLabel: string;
  onSaved: (league: League) => void;
}

/** Creates or edits a league, validated with the shared `LeagueInput` / `LeaguePatch` schemas. */
export function LeagueForm({ league, submitLabel, onSaved }: LeagueFormProps) {
  const [values, setValues] = useState<LeagueFormValues>(() => leagueFormValues(league));
  // The version the values came from: a save against an older version than the server's gets 412.
  const [baseVersion, setBaseVersion] = useState(league?.version ?? 0);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateLeague();
  const update = useUpdateLeague(league?.id ?? '');
  const save = league ? update : create;

  function set<K extends keyof LeagueFormValues>(key: K, value: LeagueFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  const onError = (error: unknown) => {
    const fieldErrors = problemFieldErrors(error);
    if (fieldErrors) showErrors(place(fieldErrors));
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    update.reset();
    const result = validate(LeagueInput, leagueInputFrom(values));
    if (!result.ok) {
      showErrors(place(result.errors));
      return;
    }
    setErrors([]);
    const idempotencyKey = newIdempotencyKey();
    if (league) {
      // The whole league is sent: every field of `LeagueInput` is also a valid `LeaguePatch` field.
      update.mutate(
        { input: result.data, version: baseVersion, idempotencyKey },
        { onSuccess: onSaved, onError },
      );
    } else {
      create.mutate({ input: result.data, idempotencyKey }, { onSuccess: onSaved, onError });
    }
  }

  const conflict = isApiError(save.error, 412);
  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={save.isPaused}>
        The league will be saved when the connection is back.
      </OfflineNotice>
      {conflict ? (
        <Banner
          tone="error"
          title="This league was changed elsewhere"
          actions={
            league && league.version !== baseVersion ? (
              <Button
                variant="secondary"
                onClick={() => {
                  setValues(leagueFormValues(league));
                  setBaseVersion(league.version);
                  update.reset();
                }}
              >
                Load the newer version
              </Button>
            ) : null
          }
        >
          Someone saved it after you opened this form. Load the newer version, then make your
          changes again.
        </Banner>
      ) : save.isError && !problemFieldErrors(save.error) ? (
        <Banner tone="error">{describeError(save.error)}</Banner>
      ) : null}

      <TextField
        id={IDS.name}
        label="League name"
        autoComplete="off"
        value={values.name}
        onChange={(e) => set('name', e.target.value)}
        error={errorFor(errors, IDS.name)}
      />
      <Select
        id={IDS.sport}
        label="Sport"
        placeholder="Choose a sport"
        options={SPORT_OPTIONS}
        value={values.sport}
        onChange={(e) => set('sport', e.target.value as LeagueFormValues['sport'])}
        error={errorFor(errors, IDS.sport)}
      />
      {values.sport === 'custom' ? (
        <TextField
          id={IDS.customSport}
          label="Name of the sport"
          value={values.customSport}
          onChange={(e) => set('customSport', e.target.value)}
          error={errorFor(errors, IDS.customSport)}
        />
      ) : null}
      <TextField
        id={IDS.description}
        label="Description"
        labelSuffix="(optional)"
        value={values.description}
        onChange={(e) => set('description', e.target.value)}
        error={errorFor(errors, IDS.description)}
      />
      <RadioGroup
        id={IDS.visibility}
        name="visibility"
        legend="Who can see it"
        options={VISIBILITY_OPTIONS}
        value={values.visibility}
        onChange={(v) => set('visibility', v)}
        error={errorFor(errors, IDS.visibility)}
      />
      <Select
        id={IDS.timeZone}
        label="Time zone"
        hint="Match dates and start times are the clock time here. Calendars show each match at the right hour wherever the player is."
        options={timeZoneOptions(values.timeZone)}
        value={values.timeZone}
        onChange={(e) => set('timeZone', e.target.value)}
        error={errorFor(errors, IDS.timeZone)}
      />

      <Fieldset
        id="league-format"
        legend="Match format"
        hint="The lines of a team match and how each line is scored."
      >
        <div className="field-row">
          <TextField
            id={IDS.singles}
            label="Singles lines"
            inputMode="numeric"
            value={values.singles}
            onChange={(e) => set('singles', e.target.value)}
            error={errorFor(errors, IDS.singles)}
          />
          <TextField
            id={IDS.doubles}
            label="Doubles lines"
            inputMode="numeric"
            value={values.doubles}
            onChange={(e) => set('doubles', e.target.value)}
            error={errorFor(errors, IDS.doubles)}
          />
        </div>
        <Select
          id={IDS.bestOfSets}
          label="Sets per line"
          options={BEST_OF_OPTIONS}
          value={values.bestOfSets}
          onChange={(e) => set('bestOfSets', e.target.value)}
          error={errorFor(errors, IDS.bestOfSets)}
        />
        <div className="field-row">
          <TextField
            id={IDS.gamesPerSet}
            label="Games per set"
            inputMode="numeric"
            value={values.gamesPerSet}
            onChange={(e) => set('gamesPerSet', e.target.value)}
            error={errorFor(errors, IDS.gamesPerSet)}
          />
          <TextField
            id={IDS.tiebreakAt}
            label="Tiebreak at"
            labelSuffix="(games all)"
            hint="Empty: no tiebreak, play on until two clear"
            inputMode="numeric"
            value={values.tiebreakAt}
            onChange={(e) => set('tiebreakAt', e.target.value)}
            error={errorFor(errors, IDS.tiebreakAt)}
          />
        </div>
        <RadioGroup
          id={IDS.finalSet}
          name="finalSet"
          legend="Deciding set"
          options={FINAL_SET_OPTIONS}
          value={values.finalSet}
          onChange={(v) => set('finalSet', v)}
          error={errorFor(errors, IDS.finalSet)}
        />
        <Checkbox
          id={IDS.noAd}
          label="No-ad scoring (one deciding point at deuce)"
          checked={values.noAd}
          onChange={(e) => set('noAd', e.target.checked)}
        />
        <Select
          id={IDS.teamMatchWinner}
          label="Team match won by"
          options={WINNER_OPTIONS}
          value={values.teamMatchWinner}
          onChange={(e) =>
            set('teamMatchWinner', e.target.value as LeagueFormValues['teamMatchWinner'])
          }
          error={errorFor(errors, IDS.teamMatchWinner)}
        />
      </Fieldset>

      <Fieldset id="league-roster" legend="Roster size" hint="How many players each team may have.">
        <div className="field-row">
          <TextField
            id={IDS.rosterMin}
            label="Smallest roster"
            inputMode="numeric"
            value={values.rosterMin}
            onChange={(e) => set('rosterMin', e.target.value)}
            error={errorFor(errors, IDS.rosterMin)}
          />
          <TextField
            id={IDS.rosterMax}
            label="Largest roster"
            inputMode="numeric"
            value={values.rosterMax}
            onChange={(e) => set('rosterMax', e.target.value)}
            error={errorFor(errors, IDS.rosterMax)}
          />
        </div>
      </Fieldset>

      <Fieldset
        id="league-results"
        legend="Results and standings"
        hint="When entered scores become final, and how the division tables are worked out."
      >
        <TextField
          id={IDS.resultConfirmHours}
          label="Hours to confirm a result"
          hint="After a captain enters a score, the other captain has this long to confirm or dispute it; unanswered, it becomes final on its own. 48 hours unless you change it."
          inputMode="numeric"
          value={values.resultConfirmHours}
          onChange={(e) => set('resultConfirmHours', e.target.value)}
          error={errorFor(errors, IDS.resultConfirmHours)}
        />
        <RadioGroup
          id={IDS.pointsFor}
          name="pointsFor"
          legend="Points are given for"
          options={POINTS_FOR_OPTIONS}
          value={values.pointsFor}
          onChange={(v) => set('pointsFor', v)}
          error={errorFor(errors, IDS.pointsFor)}
        />
        <div className="field-row field-row--three">
          <TextField
            id={IDS.pointsWin}
            label="Points for a win"
            inputMode="numeric"
            value={values.pointsWin}
            onChange={(e) => set('pointsWin', e.target.value)}
            error={errorFor(errors, IDS.pointsWin)}
          />
          <TextField
            id={IDS.pointsTie}
            label="Points for a tie"
            inputMode="numeric"
            value={values.pointsTie}
            onChange={(e) => set('pointsTie', e.target.value)}
            error={errorFor(errors, IDS.pointsTie)}
          />
          <TextField
            id={IDS.pointsLoss}
            label="Points for a loss"
            inputMode="numeric"
            value={values.pointsLoss}
            onChange={(e) => set('pointsLoss', e.target.value)}
            error={errorFor(errors, IDS.pointsLoss)}
          />
        </div>
        <Fieldset
          id={IDS.tiebreakers}
          legend="Tiebreakers, in order"
          hint="When teams have the same points, the first tiebreaker that separates them decides. Untick one to leave it out."
          error={errorFor(errors, IDS.tiebreakers)}
        >
          <ol className="tiebreaker-list">
            {values.tiebreakers.map((t, i) => (
              <li key={t.name} className="tiebreaker-list__item">
                <Checkbox
                  id={`${IDS.tiebreakers}-${t.name}`}
                  label={`${i + 1}. ${capitalize(TIEBREAKER_LABELS[t.name])}`}
                  checked={t.on}
                  onChange={(e) =>
                    set(
                      'tiebreakers',
                      values.tiebreakers.map((x) =>
                        x.name === t.name ? { ...x, on: e.target.checked } : x,
                      ),
                    )
                  }
                />
                <div className="button-row">
                  {/* aria-disabled rather than disabled, so focus stays on a button that reaches the end. */}
                  <Button
                    variant="quiet"
                    aria-label={`Move ${TIEBREAKER_NAMES[t.name]} up`}
                    aria-disabled={i === 0}
                    onClick={() => set('tiebreakers', moveTiebreaker(values.tiebreakers, i, -1))}
                  >
                    Up
                  </Button>
                  <Button
                    variant="quiet"
                    aria-label={`Move ${TIEBREAKER_NAMES[t.name]} down`}
                    aria-disabled={i === values.tiebreakers.length - 1}
                    onClick={() => set('tiebreakers', moveTiebreaker(values.tiebreakers, i, 1))}
                  >
                    Down
                  </Button>
                </div>
              </li>
            ))}
          </ol>
        </Fieldset>
      </Fieldset>

      <div className="form__actions">
        <Button type="submit" busy={save.isPending} busyLabel="Saving…">
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
