import type { Match } from '#domain/schemas/matches';
import { MatchList } from './MatchList';

/** A division's matches grouped by round (or by date when rounds are not known), in date order. */
export function ScheduleByRound({
  matches,
  manage,
}: {
  matches: readonly Match[];
  manage: boolean;
}) {
  const groups = new Map<string, Match[]>();
  const sorted = [...matches].sort((a, b) =>
    `${a.date} ${a.startTime}`.localeCompare(`${b.date} ${b.startTime}`),
  );
  for (const match of sorted) {
    const key = match.round !== null ? `Round ${match.round}` : 'Other matches';
    groups.set(key, [...(groups.get(key) ?? []), match]);
  }
  return (
    <div className="stack">
      {[...groups.entries()].map(([title, list]) => (
        <section key={title} className="round" aria-label={title}>
          <h3 className="round__title">{title}</h3>
          <MatchList matches={list} label={`${title} matches`} manage={manage} showRound={false} />
        </section>
      ))}
    </div>
  );
}
