import { useState } from 'react';
import { AvailabilityInput, type AvailabilityAnswer } from '#domain/schemas/availability';
import { Banner, OfflineNotice, SavedStatus } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError, validate } from '../../lib/forms';
import { confirmedUser, useMe } from '../auth';
import { useAnswerAvailability, useAvailability } from './api';
import { ANSWER_LABELS } from './labels';

const ANSWERS: readonly AvailabilityAnswer[] = ['available', 'maybe', 'unavailable'];

/**
 * "Can you play?": the player's answer for one match, saved at once (it can wait offline).
 * `answer`: the saved answer when the caller has it (my schedule carries it); without it, the
 * team's grid is read to find it.
 */
export function AvailabilityChoice({
  matchId,
  title,
  answer: known,
}: {
  matchId: string;
  title: string;
  answer?: AvailabilityAnswer | null;
}) {
  const me = confirmedUser(useMe());
  const grid = useAvailability(matchId, known === undefined);
  const answer = useAnswerAvailability(matchId);
  const [chosen, setChosen] = useState<AvailabilityAnswer | null>(null);
  const saved =
    known !== undefined
      ? known
      : (grid.data?.players.find((p) => p.userId === me?.id)?.answer ?? null);
  const value = chosen ?? saved;
  const id = `availability-${matchId}`;

  function choose(next: AvailabilityAnswer) {
    const result = validate(AvailabilityInput, { answer: next });
    if (!result.ok) return;
    setChosen(next);
    answer.mutate({ matchId, answer: next, idempotencyKey: newIdempotencyKey() });
  }

  return (
    <fieldset className="availability" aria-describedby={`${id}-status`}>
      <legend className="availability__legend">
        Can you play?<span className="visually-hidden"> {title}</span>
      </legend>
      <div className="availability__choices">
        {ANSWERS.map((option) => (
          <label key={option} className="availability__choice" htmlFor={`${id}-${option}`}>
            <input
              id={`${id}-${option}`}
              type="radio"
              name={id}
              value={option}
              checked={value === option}
              onChange={() => choose(option)}
            />
            {ANSWER_LABELS[option]}
          </label>
        ))}
      </div>
      <div id={`${id}-status`}>
        <SavedStatus show={answer.isSuccess} message="Answer saved" />
      </div>
      <OfflineNotice paused={answer.isPaused}>
        Your answer is saved on this device and sent when you are back online.
      </OfflineNotice>
      {answer.isError ? <Banner tone="error">{describeError(answer.error)}</Banner> : null}
    </fieldset>
  );
}
