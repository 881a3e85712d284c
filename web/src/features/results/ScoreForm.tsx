import { useState, type FormEvent, type ReactNode } from 'react';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { FieldError } from '#domain/schemas/problem';
import type { LineEntry, LineOutcome, TeamSide } from '#domain/schemas/results';
import { Button, FormErrorSummary, Select, TextField } from '../../components';
import { describedBy, FieldErrorText } from '../../components/field';
import { errorFor, type FormError } from '../../lib/forms';
import { lineName, OUTCOME_LABELS } from './labels';
import {
  boxLabel,
  checkScore,
  fieldIds,
  isMatchTiebreakSet,
  locateScoreField,
  needsTiebreak,
  placeScoreErrors,
  playerLabel,
  type LineDraft,
  type SetDraft,
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
  schema?: { safeParse: (input: unknown) => unknown };
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
  schema,
  submitLabel,
  busy,
  busyLabel,
  disabled = false,
  serverErrors,
  onSubmit,
  onCancel,
  children,
}: ScoreFormProps) {
  const [drafts, setDrafts] = useState<LineDraft[]>(initial);
  const [noteText, setNoteText] = useState('');
  const [clientErrors, setClientErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [shownServerErrors, setShownServerErrors] = useState<readonly FieldError[] | null>(null);
  const ids = fieldIds(prefix);
  const locate = locateScoreField(format, drafts, prefix, note?.label ?? null);

  // A new answer from the server is placed once, and takes focus like a failed client check.
  if (serverErrors !== shownServerErrors) {
    setShownServerErrors(serverErrors);
    if (serverErrors) {
      setClientErrors(placeScoreErrors(serverErrors, locate));
      setAttempt((n) => n + 1);
    }
  }
  const errors = clientErrors;

  function update(i: number, change: (draft: LineDraft) => LineDraft) {
    setDrafts((current) => current.map((d, k) => (k === i ? change(d) : d)));
  }

  function setBox(i: number, j: number, key: keyof SetDraft, value: string) {
    update(i, (d) => ({
      ...d,
      sets: d.sets.map((s, k) => (k === j ? { ...s, [key]: value } : s)),
    }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const extra = note ? { [note.field]: noteText } : {};
    const checked = checkScore(format, drafts, extra, schema);
    if (!checked.ok) {
      setClientErrors(placeScoreErrors(checked.errors, locate));
      setAttempt((n) => n + 1);
      return;
    }
    setClientErrors([]);
    onSubmit(checked.lines, noteText);
  }

  const teamOf = (side: TeamSide) => (side === 'home' ? homeTeam : awayTeam);
  const optionsOf = (side: TeamSide) =>
    (side === 'home' ? homePlayers : awayPlayers).map((p) => ({ value: p.id, label: p.name }));

  return (
    <form className="form score-form" noValidate onSubmit={submit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
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
                  {(side === 'home' ? draft.home : draft.away).map((picked, j) => {
                    const id = ids.player(i, side, j);
                    return (
                      <Select
                        key={id}
                        id={id}
                        label={playerLabel(draft.kind, draft.line, side, j)}
                        placeholder="Choose a player"
                        options={optionsOf(side)}
                        value={picked}
                        onChange={(e) =>
                          update(i, (d) => {
                            const list = [...(side === 'home' ? d.home : d.away)];
                            list[j] = e.target.value;
                            return side === 'home' ? { ...d, home: list } : { ...d, away: list };
                          })
                        }
                        error={errorFor(errors, id)}
                      />
                    );
                  })}
                </div>
              ))}
            </div>
            <Select
              id={ids.outcome(i)}
              label={`${name}, how it ended`}
              options={OUTCOMES}
              value={draft.outcome}
              onChange={(e) => update(i, (d) => ({ ...d, outcome: e.target.value as LineOutcome }))}
              error={errorFor(errors, ids.outcome(i))}
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
                            id={id}
                            label={boxLabel(format, draft.kind, draft.line, j, side)}
                            short={side === 'home' ? 'Home' : 'Away'}
                            value={set[side]}
                            onChange={(v) => setBox(i, j, side, v)}
                            error={errorFor(errors, id)}
                          />
                        );
                      })}
                      {tiebreak ? (
                        <ScoreBox
                          id={ids.set(i, j, 'tiebreak')}
                          label={boxLabel(format, draft.kind, draft.line, j, 'tiebreak')}
                          short="Tiebreak (loser's points)"
                          value={set.tiebreak}
                          onChange={(v) => setBox(i, j, 'tiebreak', v)}
                          error={errorFor(errors, ids.set(i, j, 'tiebreak'))}
                        />
                      ) : null}
                    </div>
                  );
                })}
              </div>
            ) : null}
            {draft.outcome !== 'completed' ? (
              <Select
                id={ids.winner(i)}
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
                value={draft.winner}
                onChange={(e) => update(i, (d) => ({ ...d, winner: e.target.value as TeamSide }))}
                error={errorFor(errors, ids.winner(i))}
              />
            ) : null}
          </fieldset>
        );
      })}
      {note ? (
        <TextField
          id={ids.note}
          label={note.label}
          hint={note.hint}
          value={noteText}
          onChange={(e) => setNoteText(e.target.value)}
          error={errorFor(errors, ids.note)}
        />
      ) : null}
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
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  short: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
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
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, undefined, error)}
      />
      <FieldErrorText id={id}>{error}</FieldErrorText>
    </div>
  );
}
