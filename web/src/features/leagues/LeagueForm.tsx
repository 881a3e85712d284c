import type { League } from '#domain/schemas/leagues';
import { LEAGUE_SPORTS, LeagueInput } from '#domain/schemas/leagues';
import {
  Banner,
  Button,
  Checkbox,
  ConflictBanner,
  Fieldset,
  FormErrorSummary,
  OfflineNotice,
  RadioGroup,
  Select,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useEditBase, useSchemaForm } from '../../lib/schemaForm';
import { useCreateLeague, useUpdateLeague } from './api';
import { sportName } from './labels';
import {
  LEAGUE_FIELD_IDS as IDS,
  leagueFormValues,
  leagueInputFrom,
  locateLeagueField,
  moveTiebreaker,
  timeZoneOptions,
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

export interface LeagueFormProps {
  /** The league to edit; a new league when absent. */
  league?: League;
  submitLabel: string;
  onSaved: (league: League) => void;
}

/** Creates or edits a league, validated with the shared `LeagueInput` / `LeaguePatch` schemas. */
export function LeagueForm({ league, submitLabel, onSaved }: LeagueFormProps) {
  const { form, summary, errorFor, field, showProblem, onSubmit } = useSchemaForm({
    schema: LeagueInput,
    defaultValues: leagueFormValues(league),
    toInput: leagueInputFrom,
    locate: locateLeagueField,
  });
  const create = useCreateLeague();
  const update = useUpdateLeague(league?.id ?? '');
  // The version the values came from: a save against an older version than the server's gets 412.
  const { baseVersion, loadTheirs } = useEditBase(form, league, leagueFormValues, update.reset);
  const save = league ? update : create;
  const values = form.watch();

  const send = (input: LeagueInput) => {
    const idempotencyKey = newIdempotencyKey();
    const callbacks = { onSuccess: onSaved, onError: showProblem };
    if (league) {
      // The whole league is sent: every field of `LeagueInput` is also a valid `LeaguePatch` field.
      update.mutate({ input, version: baseVersion, idempotencyKey }, callbacks);
    } else {
      create.mutate({ input, idempotencyKey }, callbacks);
    }
  };

  const conflict = isApiError(save.error, 412);
  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, () => {
        create.reset();
        update.reset();
      })}
    >
      <FormErrorSummary {...summary} />
      <OfflineNotice paused={save.isPaused}>
        The league will be saved when the connection is back.
      </OfflineNotice>
      {conflict ? (
        <ConflictBanner what="league" onLoadTheirs={loadTheirs} />
      ) : save.isError && !problemFieldErrors(save.error) ? (
        <Banner tone="error">{describeError(save.error)}</Banner>
      ) : null}

      <TextField label="League name" autoComplete="off" {...field('name', IDS.name)} />
      <Select
        label="Sport"
        placeholder="Choose a sport"
        options={SPORT_OPTIONS}
        {...field('sport', IDS.sport)}
      />
      {values.sport === 'custom' ? (
        <TextField label="Name of the sport" {...field('customSport', IDS.customSport)} />
      ) : null}
      <TextField
        label="Description"
        labelSuffix="(optional)"
        {...field('description', IDS.description)}
      />
      <RadioGroup
        id={IDS.visibility}
        name="visibility"
        legend="Who can see it"
        options={VISIBILITY_OPTIONS}
        value={values.visibility}
        onChange={(v) => form.setValue('visibility', v)}
        error={errorFor(IDS.visibility)}
      />
      <Select
        label="Time zone"
        hint="Match dates and start times are the clock time here. Calendars show each match at the right hour wherever the player is."
        options={timeZoneOptions(values.timeZone)}
        {...field('timeZone', IDS.timeZone)}
      />

      <Fieldset
        id="league-format"
        legend="Match format"
        hint="The lines of a team match and how each line is scored."
      >
        <div className="field-row">
          <TextField label="Singles lines" inputMode="numeric" {...field('singles', IDS.singles)} />
          <TextField label="Doubles lines" inputMode="numeric" {...field('doubles', IDS.doubles)} />
        </div>
        <Select
          label="Sets per line"
          options={BEST_OF_OPTIONS}
          {...field('bestOfSets', IDS.bestOfSets)}
        />
        <div className="field-row">
          <TextField
            label="Games per set"
            inputMode="numeric"
            {...field('gamesPerSet', IDS.gamesPerSet)}
          />
          <TextField
            label="Tiebreak at"
            labelSuffix="(games all)"
            hint="Empty: no tiebreak, play on until two clear"
            inputMode="numeric"
            {...field('tiebreakAt', IDS.tiebreakAt)}
          />
        </div>
        <RadioGroup
          id={IDS.finalSet}
          name="finalSet"
          legend="Deciding set"
          options={FINAL_SET_OPTIONS}
          value={values.finalSet}
          onChange={(v) => form.setValue('finalSet', v)}
          error={errorFor(IDS.finalSet)}
        />
        <Checkbox
          id={IDS.noAd}
          label="No-ad scoring (one deciding point at deuce)"
          {...form.register('noAd')}
        />
        <Select
          label="Team match won by"
          options={WINNER_OPTIONS}
          {...field('teamMatchWinner', IDS.teamMatchWinner)}
        />
      </Fieldset>

      <Fieldset id="league-roster" legend="Roster size" hint="How many players each team may have.">
        <div className="field-row">
          <TextField
            label="Smallest roster"
            inputMode="numeric"
            {...field('rosterMin', IDS.rosterMin)}
          />
          <TextField
            label="Largest roster"
            inputMode="numeric"
            {...field('rosterMax', IDS.rosterMax)}
          />
        </div>
      </Fieldset>

      <Fieldset
        id="league-results"
        legend="Results and standings"
        hint="When entered scores become final, and how the division tables are worked out."
      >
        <TextField
          label="Hours to confirm a result"
          hint="After a captain enters a score, the other captain has this long to confirm or dispute it; unanswered, it becomes final on its own. 48 hours unless you change it."
          inputMode="numeric"
          {...field('resultConfirmHours', IDS.resultConfirmHours)}
        />
        <RadioGroup
          id={IDS.pointsFor}
          name="pointsFor"
          legend="Points are given for"
          options={POINTS_FOR_OPTIONS}
          value={values.pointsFor}
          onChange={(v) => form.setValue('pointsFor', v)}
          error={errorFor(IDS.pointsFor)}
        />
        <div className="field-row field-row--three">
          <TextField
            label="Points for a win"
            inputMode="numeric"
            {...field('pointsWin', IDS.pointsWin)}
          />
          <TextField
            label="Points for a tie"
            inputMode="numeric"
            {...field('pointsTie', IDS.pointsTie)}
          />
          <TextField
            label="Points for a loss"
            inputMode="numeric"
            {...field('pointsLoss', IDS.pointsLoss)}
          />
        </div>
        <Fieldset
          id={IDS.tiebreakers}
          legend="Tiebreakers, in order"
          hint="When teams have the same points, the first tiebreaker that separates them decides. Untick one to leave it out."
          error={errorFor(IDS.tiebreakers)}
        >
          <ol className="tiebreaker-list">
            {values.tiebreakers.map((t, i) => (
              <li key={t.name} className="tiebreaker-list__item">
                <Checkbox
                  id={`${IDS.tiebreakers}-${t.name}`}
                  label={`${i + 1}. ${capitalize(TIEBREAKER_LABELS[t.name])}`}
                  checked={t.on}
                  onChange={(e) =>
                    form.setValue(
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
                    onClick={() =>
                      form.setValue('tiebreakers', moveTiebreaker(values.tiebreakers, i, -1))
                    }
                  >
                    Up
                  </Button>
                  <Button
                    variant="quiet"
                    aria-label={`Move ${TIEBREAKER_NAMES[t.name]} down`}
                    aria-disabled={i === values.tiebreakers.length - 1}
                    onClick={() =>
                      form.setValue('tiebreakers', moveTiebreaker(values.tiebreakers, i, 1))
                    }
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
