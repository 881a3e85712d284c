import { useState, type ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import type { z } from 'zod';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { FieldError } from '#domain/schemas/problem';
import {
  ResultEntryInput,
  type LineEntry,
  type LineOutcome,
  type TeamSide,
} from '#domain/schemas/results';
import { Button, FormErrorSummary, Select, TextField } from '../../components';
import { describedBy, FieldErrorText } from '../../components/field';
import type { FieldTarget } from '../../lib/forms';
import { useSchemaForm } from '../../lib/schemaForm';
import { lineName, OUTCOME_LABELS } from './labels';
import {
  boxLabel,
  checkScore,
  entriesFrom,
  fieldIds,
  isMatchTiebreakSet,
  locateScoreField,
  needsTiebreak,
  playerLabel,
  type LineDraft,
} from './scoreFormModel';

export interface PlayerOption {
  id: string;
  name: string;
}

export interface ScoreFormProps {
  /** Unique per form on the page: the prefix of every field id. */
  prefix: string;
  format: MatchFormat;
  homeTeam: { id: string; name: string };
  awayTeam: { id: string; name: string };
  homePlayers: readonly PlayerOption[];
  awayPlayers: readonly PlayerOption[];
  initial: LineDraft[];
  /** A comment (dispute, settle) or reason (correct) asked for with the score. */
  note?: { field: 'comment' | 'reason'; label: string; hint: string };
  /** The shared schema of the whole body, so the client checks what the server will. */
  schema?: z.ZodType;
  submitLabel: string;
  busy: boolean;
  busyLabel: string;
  disabled?: boolean;
  /** Errors of the last attempt from the server (400), placed like the client's. */
  serverErrors: readonly FieldError[] | null;
  onSubmit: (lines: LineEntry[], note: string) => void;
  onCancel?: () => void;
  /** Messages above the fields (offline notice, failures). */
  children?: ReactNode;
}

/** The form's values as typed: the lines' drafts and the comment or reason. */
interface ScoreValues {
  lines: LineDraft[];
  note: string;
}

const OUTCOMES = (Object.keys(OUTCOME_LABELS) as LineOutcome[]).map((value) => ({
  value,
  label: OUTCOME_LABELS[value],
}));

/**
 * The score of a whole team match, line by line: who played for each side, how the line ended,
 * the games of each set (tiebreak points when a set went 7-6), and the winner of a line that was
 * not played out. Checked with the shared schema and the scoring rules before it is sent; the
 * server's errors come back to the same fields.
 */
export function ScoreForm({
  prefix,
  format,
  homeTeam,
  awayTeam,
  homePlayers,
  awayPlayers,
  initial,
  note,
  schema = ResultEntryInput,
  submitLabel,
  busy,
  busyLabel,
  disabled = false,
  serverErrors,
  onSubmit,
  onCancel,
  children,
}: ScoreFormProps) {
  const ids = fieldIds(prefix);
  const noteOf = (values: ScoreValues) => (note ? { [note.field]: values.note } : {});
  const {
    form,
    summary,
    field,
    showErrors,
    onSubmit: submit,
  } = useSchemaForm({
    schema,
    defaultValues: { lines: initial, note: '' },
    toInput: (values: ScoreValues) => ({ ...noteOf(values), lines: entriesFrom(values.lines) }),
    locate: (path: string, message: string): FieldTarget | null =>
      locateScoreField(format, form.getValues('lines'), prefix, note?.label ?? null)(path, message),
    // The schema's errors first, then the scoring rules' and the players', as the server lists
    // them; the resolver's own copies of the schema's errors fall on the same fields and drop out.
    check: (values) => {
      const checked = checkScore(format, values.lines, noteOf(values), schema);
      return checked.ok ? [] : checked.errors;
    },
  });
  const drafts = form.watch('lines');
  const [shownServerErrors, setShownServerErrors] = useState<readonly FieldError[] | null>(null);

  // A new answer from the server is placed once, and takes focus like a failed client check.
  if (serverErrors !== shownServerErrors) {
    setShownServerErrors(serverErrors);
    if (serverErrors) showErrors(serverErrors);
  }

  const send = () => {
    const values = form.getValues();
    onSubmit(entriesFrom(values.lines), values.note);
  };

  const teamOf = (side: TeamSide) => (side === 'home' ? homeTeam : awayTeam);
  const optionsOf = (side: TeamSide) =>
    (side === 'home' ? homePlayers : awayPlayers).map((p) => ({ value: p.id, label: p.name }));

  return (
    <form className="form score-form" noValidate onSubmit={submit(send)}>
      <FormErrorSummary {...summary} />
      {children}
      <p className="muted">
        Home side first: {homeTeam.name} (home) against {awayTeam.name} (away). Enter games per set
        {format.finalSet === 'match_tiebreak' && format.bestOfSets >= 3
          ? '; a deciding match tiebreak is entered as its points, e.g. 10-7'
          : ''}
        .
      </p>
      {drafts.map((draft, i) => {
        const name = lineName(draft.kind, draft.line);
        return (
          <fieldset key={`${draft.kind}-${draft.line}`} id={ids.line(i)} className="score-line">
            <legend className="score-line__legend">{name}</legend>
            <div className="score-line__players">
              {(['home', 'away'] as const).map((side) => (
                <div key={side} className="score-line__side">
                  <p className="score-line__team">
                    {teamOf(side).name} <span className="muted">({side})</span>
                  </p>
                  {(side === 'home' ? draft.home : draft.away).map((_, j) => {
                    const id = ids.player(i, side, j);
                    return (
                      <Select
                        key={id}
                        {...field(`lines.${i}.${side}.${j}`, id)}
                        label={playerLabel(draft.kind, draft.line, side, j)}
                        placeholder="Choose a player"
                        options={optionsOf(side)}
                      />
                    );
                  })}
                </div>
              ))}
            </div>
            <Select
              {...field(`lines.${i}.outcome`, ids.outcome(i))}
              label={`${name}, how it ended`}
              options={OUTCOMES}
            />
            {draft.outcome !== 'walkover' ? (
              <div className="score-sets">
                {draft.sets.map((set, j) => {
                  const tiebreak = needsTiebreak(format, set, j);
                  return (
                    <div className="score-set" key={j}>
                      <p className="score-set__title" aria-hidden="true">
                        {isMatchTiebreakSet(format, j) ? 'Match tiebreak' : `Set ${j + 1}`}
                      </p>
                      {(['home', 'away'] as const).map((side) => {
                        const id = ids.set(i, j, side);
                        return (
                          <ScoreBox
                            key={side}
                            {...field(`lines.${i}.sets.${j}.${side}`, id)}
                            label={boxLabel(format, draft.kind, draft.line, j, side)}
                            short={side === 'home' ? 'Home' : 'Away'}
                          />
                        );
                      })}
                      {tiebreak ? (
                        <ScoreBox
                          {...field(`lines.${i}.sets.${j}.tiebreak`, ids.set(i, j, 'tiebreak'))}
                          label={boxLabel(format, draft.kind, draft.line, j, 'tiebreak')}
                          short="Tiebreak (loser's points)"
                        />
                      ) : null}
                    </div>
                  );
                })}
              </div>
            ) : null}
            {draft.outcome !== 'completed' ? (
              <Select
                {...field(`lines.${i}.winner`, ids.winner(i))}
                label={`${name}, winner`}
                hint={
                  draft.outcome === 'walkover'
                    ? 'The side that turned up'
                    : draft.outcome === 'retired'
                      ? 'The side that did not retire'
                      : 'The side that was not defaulted'
                }
                placeholder="Choose the winner"
                options={[
                  { value: 'home', label: homeTeam.name },
                  { value: 'away', label: awayTeam.name },
                ]}
              />
            ) : null}
          </fieldset>
        );
      })}
      {note ? <TextField {...field('note', ids.note)} label={note.label} hint={note.hint} /> : null}
      <div className="form__actions">
        <Button type="submit" busy={busy} busyLabel={busyLabel} disabled={disabled}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button variant="quiet" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * One small number box of a set. Its accessible name says everything ("Singles line 1, set 2,
 * home games"); sighted users read the line and set from the layout, so only "Home" shows.
 */
function ScoreBox({
  id,
  label,
  short,
  error,
  ...input
}: UseFormRegisterReturn & {
  id: string;
  label: string;
  short: string;
  error: string | undefined;
}) {
  return (
    <div className={['score-box', error ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
      <label className="score-box__label" htmlFor={id}>
        <span className="visually-hidden">{label}</span>
        <span aria-hidden="true">{short}</span>
      </label>
      <input
        id={id}
        className="input score-box__input"
        inputMode="numeric"
        autoComplete="off"
        maxLength={2}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, undefined, error)}
      />
      <FieldErrorText id={id}>{error}</FieldErrorText>
    </div>
  );
}
