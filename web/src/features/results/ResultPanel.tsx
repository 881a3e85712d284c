import { useState } from 'react';
import type { z } from 'zod';
import type { MatchFormat } from '#domain/schemas/leagues';
import type { Team } from '#domain/schemas/teams';
import {
  ResultCorrectInput,
  ResultDisputeInput,
  ResultEntryInput,
  ResultSettleInput,
  type LineKind,
  type LineView,
  type MatchResult,
  type TeamSide,
} from '#domain/schemas/results';
import {
  Badge,
  Banner,
  Button,
  ConflictBanner,
  Loading,
  NeedsConnection,
  OfflineNotice,
  SavedStatus,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useTeam } from '../teams';
import {
  useEnterResult,
  useResultStep,
  useSideLineup,
  type ResultStep,
  type ResultStepVariables,
} from './api';
import { DECIDED_LABELS, formatInstant, RESULT_STATUS_LABELS } from './labels';
import { ResultLines } from './ResultView';
import { ScoreForm, type PlayerOption } from './ScoreForm';
import { initialDrafts } from './scoreFormModel';

type Action = 'enter' | 'dispute' | 'settle' | 'correct';

export interface ResultPanelProps {
  result: MatchResult;
  format: MatchFormat;
  /** The match is still to come: its result is entered from its day on. */
  upcoming?: boolean;
}

/**
 * A match's result and what the signed-in user may do with it now: enter (or re-enter while it
 * waits), confirm, dispute with a counter-proposal, settle, correct. Entering a score can wait for
 * the connection; the other steps need it, because the other side must learn the outcome at once.
 */
export function ResultPanel({ result, format, upcoming = false }: ResultPanelProps) {
  const [open, setOpen] = useState<Action | null>(null);
  const online = useIsOnline();
  const enter = useEnterResult(result.matchId);
  const step = useResultStep(result.matchId);
  const { can } = result;
  const teamName = (id: string | null | undefined) =>
    id === result.homeTeam.id ? result.homeTeam.name : result.awayTeam.name;

  function runStep(kind: ResultStep, body?: ResultStepVariables['body']) {
    enter.reset();
    step.reset();
    step.mutate(
      { step: kind, version: result.version, body, idempotencyKey: newIdempotencyKey() },
      { onSuccess: () => setOpen(null) },
    );
  }

  const stale = isApiError(step.error, 412) || isApiError(enter.error, 412);
  const enteredFirst = isApiError(enter.error, 409) || isApiError(step.error, 409);
  const anyAction = can.enter || can.confirm || can.dispute || can.settle || can.correct;

  return (
    <div className="stack">
      <p className="result-status">
        <Badge>{RESULT_STATUS_LABELS[result.status]}</Badge>{' '}
        {result.enteredBy ? (
          <span>
            Entered by {result.enteredBy.name ?? 'a captain'} ({teamName(result.enteredBy.teamId)}
            ), {formatInstant(result.enteredBy.at)}.
          </span>
        ) : null}
        {result.decided ? (
          <span>
            {' '}
            Final: {DECIDED_LABELS[result.decided.how]}
            {result.decided.by ? ` (${result.decided.by})` : ''}, {formatInstant(result.decided.at)}
            .
          </span>
        ) : null}
      </p>
      {result.status === 'pending' && result.confirmBy ? (
        <p className="result-deadline">
          <strong>Confirm by {formatInstant(result.confirmBy)}.</strong>{' '}
          {result.enteredBy
            ? `If ${result.enteredBy.teamId === result.homeTeam.id ? result.awayTeam.name : result.homeTeam.name} neither confirm nor dispute it by then, it becomes final on its own.`
            : 'Unanswered, it becomes final on its own then.'}
        </p>
      ) : null}

      {stale ? (
        <ConflictBanner
          what="result"
          tone="warning"
          title="This result changed while you were looking at it"
        >
          What you see now is the current result.
          {open
            ? ' Your score is still in the form: send it again to replace it, or cancel to keep the current one.'
            : ' Check it, then act again.'}
        </ConflictBanner>
      ) : enteredFirst ? (
        <Banner tone="warning" title="The other team entered the score first">
          Their score is shown below: confirm it if it is right, or dispute it with yours.
        </Banner>
      ) : null}
      {step.isSuccess ? <Banner tone="success">Done: the result is updated.</Banner> : null}

      {result.status === 'none' ? (
        <p className="muted">
          {upcoming
            ? 'The match is still to come: its captains enter the score from the match day on.'
            : 'No score has been entered for this match yet.'}
        </p>
      ) : result.dispute ? (
        <div className="result-compare">
          <ResultLines
            caption={`Entered by ${teamName(result.enteredBy?.teamId)}`}
            lines={result.lines}
            totals={result.totals}
            homeTeam={result.homeTeam}
            awayTeam={result.awayTeam}
          />
          <div className="stack stack--tight">
            <ResultLines
              caption={`Proposed by ${teamName(result.dispute.teamId)} (dispute)`}
              lines={result.dispute.lines}
              totals={result.dispute.totals}
              homeTeam={result.homeTeam}
              awayTeam={result.awayTeam}
            />
            <p>
              <strong>Why, from {teamName(result.dispute.teamId)}:</strong>{' '}
              {formatInstant(result.dispute.at)}
            </p>
            <blockquote className="result-comment">{result.dispute.comment}</blockquote>
          </div>
        </div>
      ) : (
        <ResultLines
          caption={result.status === 'final' ? 'Final result' : 'Entered result'}
          lines={result.lines}
          totals={result.totals}
          homeTeam={result.homeTeam}
          awayTeam={result.awayTeam}
        />
      )}

      {anyAction ? (
        <section className="result-actions" aria-labelledby="result-actions-title">
          <h3 id="result-actions-title" className="result-actions__title">
            What you can do
          </h3>
          {step.isError && !stale && !enteredFirst && !problemFieldErrors(step.error) ? (
            <Banner tone="error">{describeError(step.error)}</Banner>
          ) : null}
          {open === null ? (
            <div className="button-row">
              {can.confirm ? (
                <Button
                  disabled={!online}
                  busy={step.isPending && step.variables?.step === 'confirm'}
                  busyLabel="Confirming…"
                  onClick={() => runStep('confirm')}
                >
                  Confirm the result
                </Button>
              ) : null}
              {can.dispute ? (
                <Button variant="secondary" disabled={!online} onClick={() => setOpen('dispute')}>
                  Dispute it
                </Button>
              ) : null}
              {can.enter ? (
                <Button
                  variant={result.status === 'none' ? 'primary' : 'secondary'}
                  onClick={() => setOpen('enter')}
                >
                  {result.status === 'none' ? 'Enter the score' : 'Re-enter the score'}
                </Button>
              ) : null}
              {can.settle ? (
                <Button variant="secondary" disabled={!online} onClick={() => setOpen('settle')}>
                  Settle the result
                </Button>
              ) : null}
              {can.correct ? (
                <Button variant="secondary" disabled={!online} onClick={() => setOpen('correct')}>
                  Correct the result
                </Button>
              ) : null}
            </div>
          ) : null}
          {can.confirm || can.dispute || can.settle || can.correct ? (
            <NeedsConnection online={online}>
              Confirming, disputing, settling and correcting a result need a connection: the other
              team and the standings must know at once. Entering a score can wait.
            </NeedsConnection>
          ) : null}
          <OfflineNotice paused={enter.isPaused}>
            Your score is kept on this device and sent when you are back online.
          </OfflineNotice>
          <SavedStatus
            show={enter.isSuccess && open === null}
            message="Score sent: the other captain confirms or disputes it"
          />

          {open && can[open] ? (
            <ScoreFormLoader
              key={open}
              action={open}
              result={result}
              format={format}
              online={online}
              busy={open === 'enter' ? enter.isPending && !enter.isPaused : step.isPending}
              serverErrors={problemFieldErrors(open === 'enter' ? enter.error : step.error)}
              onCancel={() => {
                enter.reset();
                step.reset();
                setOpen(null);
              }}
              onSubmit={(lines, note) => {
                if (open === 'enter') {
                  step.reset();
                  enter.reset();
                  enter.mutate(
                    {
                      matchId: result.matchId,
                      lines,
                      version: result.version,
                      idempotencyKey: newIdempotencyKey(),
                    },
                    {
                      onSuccess: () => setOpen(null),
                      // The other team was first: theirs is shown, to confirm or dispute.
                      onError: (error) => {
                        if (isApiError(error, 409)) setOpen(null);
                      },
                    },
                  );
                  // Offline the score waits in the queue: the form closes, the notice stays.
                  if (!online) setOpen(null);
                } else if (open === 'correct') {
                  runStep('correct', { reason: note, lines });
                } else {
                  runStep(open, { comment: note, lines });
                }
              }}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

const FORM_TEXT: Record<
  Action,
  {
    submit: string;
    busy: string;
    note?: { field: 'comment' | 'reason'; label: string; hint: string };
    schema: z.ZodType;
    intro: string;
  }
> = {
  enter: {
    submit: 'Send the score',
    busy: 'Sending…',
    schema: ResultEntryInput,
    intro: 'The other captain confirms or disputes it.',
  },
  dispute: {
    submit: 'Send the dispute',
    busy: 'Sending…',
    note: {
      field: 'comment',
      label: 'Why the entered score is wrong',
      hint: 'Shown to the other captain and the organizer',
    },
    schema: ResultDisputeInput,
    intro: 'Change the score to what was played; the organizer decides between the two.',
  },
  settle: {
    submit: 'Settle with this score',
    busy: 'Settling…',
    note: { field: 'comment', label: 'Decision', hint: 'Shown to both teams, kept in the history' },
    schema: ResultSettleInput,
    intro: 'This score becomes final and counts in the standings and ratings.',
  },
  correct: {
    submit: 'Correct the result',
    busy: 'Correcting…',
    note: { field: 'reason', label: 'Reason', hint: 'Shown to both teams, kept in the history' },
    schema: ResultCorrectInput,
    intro:
      'The corrected score replaces the final one; standings and ratings are worked out again.',
  },
};

function rosterOptions(team: Team | undefined): PlayerOption[] {
  return (team?.members ?? []).map((m) => ({ id: m.userId, name: m.displayName }));
}

/** Loads the rosters (and lineups where the user may see them), then shows the score form. */
function ScoreFormLoader({
  action,
  result,
  format,
  online,
  busy,
  serverErrors,
  onSubmit,
  onCancel,
}: {
  action: Action;
  result: MatchResult;
  format: MatchFormat;
  online: boolean;
  busy: boolean;
  serverErrors: ReturnType<typeof problemFieldErrors>;
  onSubmit: (
    lines: Parameters<Parameters<typeof ScoreForm>[0]['onSubmit']>[0],
    note: string,
  ) => void;
  onCancel: () => void;
}) {
  const home = useTeam(result.homeTeam.id);
  const away = useTeam(result.awayTeam.id);
  const prefill = result.lines.length === 0;
  const homeLineup = useSideLineup(result.matchId, result.homeTeam.id, prefill);
  const awayLineup = useSideLineup(result.matchId, result.awayTeam.id, prefill);
  const text = FORM_TEXT[action];

  const loading =
    (!home.data && !home.isError) ||
    (!away.data && !away.isError) ||
    (prefill && (homeLineup.isLoading || awayLineup.isLoading));
  if (loading) return <Loading label="Loading the rosters…" />;

  // The starting score: the dispute's counter-proposal when settling one, else what was entered.
  const from: LineView[] | null =
    action === 'settle' && result.dispute
      ? result.dispute.lines
      : result.lines.length > 0
        ? result.lines
        : null;
  const suggested = (side: TeamSide, kind: LineKind, line: number) => {
    const lineup = side === 'home' ? homeLineup.data : awayLineup.data;
    return lineup?.lines.find((l) => l.kind === kind && l.line === line)?.players ?? [];
  };
  // Everyone who played on a line so far stays choosable, even if no longer on the roster.
  const withPlayed = (options: PlayerOption[], side: TeamSide) => {
    const known = new Set(options.map((o) => o.id));
    const extra = (from ?? [])
      .flatMap((l) => (side === 'home' ? l.homePlayers : l.awayPlayers))
      .filter((p) => !known.has(p.id) && (known.add(p.id), true));
    return [...options, ...extra];
  };

  return (
    <div className="stack stack--tight">
      <p>{text.intro}</p>
      {home.isError || away.isError ? (
        <Banner tone="error">{describeError(home.error ?? away.error)}</Banner>
      ) : null}
      <ScoreForm
        prefix={`score-${action}`}
        format={format}
        homeTeam={result.homeTeam}
        awayTeam={result.awayTeam}
        homePlayers={withPlayed(rosterOptions(home.data), 'home')}
        awayPlayers={withPlayed(rosterOptions(away.data), 'away')}
        initial={initialDrafts(format, from, suggested)}
        note={text.note}
        schema={text.schema}
        submitLabel={text.submit}
        busy={busy}
        busyLabel={text.busy}
        disabled={action !== 'enter' && !online}
        serverErrors={serverErrors}
        onSubmit={onSubmit}
        onCancel={onCancel}
      />
    </div>
  );
}
