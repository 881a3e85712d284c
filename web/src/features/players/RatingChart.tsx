import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { RatingHistoryPoint } from '#domain/schemas/ratings';
import type { LineKind } from '#domain/schemas/results';
import { Loading, TableScroll } from '../../components';
import { pluralize } from '../../lib/forms';
import { formatDay, KIND_LABELS, ratingText, signed } from '../ratings';

const RatingPlot = lazy(() => import('./RatingPlot'));

/**
 * If the chart's code cannot be loaded (offline, before it was ever fetched), the table under it
 * still has every point.
 */
class PlotBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed)
      return (
        <p className="muted">The chart could not be loaded: the table below has its points.</p>
      );
    return this.props.children;
  }
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));

/**
 * A player's rating over time, one line per kind (singles, doubles). The picture is for those who
 * look; the same points are in a table right under it for everyone else.
 */
export function RatingChart({
  history,
  playerName,
}: {
  history: readonly RatingHistoryPoint[];
  playerName: string;
}) {
  const kinds = (['singles', 'doubles'] as LineKind[]).filter((k) =>
    history.some((p) => p.kind === k),
  );
  if (history.length === 0) return <p className="muted">No rated matches yet.</p>;
  // A first row with each kind's rating before its first rated line, so one match already draws
  // a line; then one row per rated line with that kind's rating after it (recharts joins them).
  const startOf = (k: LineKind) => history.find((p) => p.kind === k)?.before;
  const start = history[0];
  const data = [
    {
      date: start ? start.date : '',
      label: 'Start',
      singles: round(startOf('singles')),
      doubles: round(startOf('doubles')),
    },
    ...history.map((p) => ({
      date: p.date,
      label: formatDay(p.date),
      singles: p.kind === 'singles' ? Math.round(p.after) : undefined,
      doubles: p.kind === 'doubles' ? Math.round(p.after) : undefined,
    })),
  ].map((row, i) => ({ ...row, i }));
  const first = history[0];
  const last = history[history.length - 1];
  const summary =
    first && last
      ? `Rating history of ${playerName}: ${pluralize(history.length, 'rated line')} from ${formatDay(first.date)} to ${formatDay(last.date)}; ${kinds
          .map((k) => {
            const points = history.filter((p) => p.kind === k);
            const a = points[0];
            const b = points[points.length - 1];
            return a && b
              ? `${KIND_LABELS[k].toLowerCase()} from ${ratingText(a.before)} to ${ratingText(b.after)}`
              : '';
          })
          .join(', ')}.`
      : '';
  return (
    <figure className="rating-chart">
      <div className="rating-chart__plot" role="img" aria-label={summary}>
        <PlotBoundary>
          <Suspense fallback={<Loading label="Loading the chart…" />}>
            <RatingPlot data={data} kinds={kinds} />
          </Suspense>
        </PlotBoundary>
      </div>
      <figcaption className="rating-chart__legend">
        {kinds.map((k) => (
          <span key={k} className={`rating-chart__key rating-chart__key--${k}`}>
            {KIND_LABELS[k]}
            {k === 'doubles' ? ' (dashed)' : ' (solid)'}
          </span>
        ))}
      </figcaption>
      <details className="rating-chart__table">
        <summary>The rating history as a table</summary>
        <TableScroll label={`Rating history of ${playerName}`}>
          <table className="data-table">
            <caption className="visually-hidden">Rating history of {playerName}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Line</th>
                <th scope="col">Result</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {history.map((p, i) => (
                <tr key={`${p.matchId}-${p.kind}-${p.line}-${i}`}>
                  <th scope="row">{formatDay(p.date)}</th>
                  <td>
                    {KIND_LABELS[p.kind]} {p.line}
                  </td>
                  <td>
                    {p.won ? 'Won' : 'Lost'} {p.why.score}
                  </td>
                  <td>{ratingText(p.before)}</td>
                  <td>{ratingText(p.after)}</td>
                  <td>{signed(p.after - p.before)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
