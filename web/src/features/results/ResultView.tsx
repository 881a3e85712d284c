import type { LineView, MatchResult, ResultEvent, TeamMatchTotals } from '#domain/schemas/results';
import { Link } from 'react-router';
import { TableScroll } from '../../components';
import { EVENT_LABELS, formatInstant, lineName, OUTCOME_LABELS, scoreText } from './labels';

type Team = MatchResult['homeTeam'];

function Players({ players }: { players: LineView['homePlayers'] }) {
  if (players.length === 0) return <>—</>;
  return (
    <>
      {players.map((p, i) => (
        <span key={p.id}>
          {i > 0 ? ' & ' : ''}
          <Link to={`/players/${p.id}`}>{p.name}</Link>
        </span>
      ))}
    </>
  );
}

/** "(won)" beside the winning side, for screen readers and print; sighted users see the tick. */
function WonMark({ won }: { won: boolean }) {
  if (!won) return null;
  return (
    <span className="result-won">
      <span aria-hidden="true"> ✓</span>
      <span className="visually-hidden"> (won)</span>
    </span>
  );
}

/**
 * A result's lines as a table: who played each line for each side, the score (home first) and
 * the winner marked; the team match totals underneath.
 */
export function ResultLines({
  caption,
  lines,
  totals,
  homeTeam,
  awayTeam,
}: {
  caption: string;
  lines: readonly LineView[];
  totals: TeamMatchTotals | null;
  homeTeam: Team;
  awayTeam: Team;
}) {
  return (
    <TableScroll label={caption}>
      <table className="data-table result-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">{homeTeam.name} (home)</th>
            <th scope="col">{awayTeam.name} (away)</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={`${line.kind}-${line.line}`}>
              <th scope="row">{lineName(line.kind, line.line)}</th>
              <td className={line.winner === 'home' ? 'result-table__winner' : undefined}>
                <Players players={line.homePlayers} />
                <WonMark won={line.winner === 'home'} />
              </td>
              <td className={line.winner === 'away' ? 'result-table__winner' : undefined}>
                <Players players={line.awayPlayers} />
                <WonMark won={line.winner === 'away'} />
              </td>
              <td>
                <span className="result-table__score">{line.text}</span>
                {line.outcome !== 'completed' ? (
                  <span className="muted"> · {OUTCOME_LABELS[line.outcome]}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
        {totals ? (
          <tfoot>
            <tr>
              <th scope="row">Team match</th>
              <td colSpan={3}>
                <Totals totals={totals} homeTeam={homeTeam} awayTeam={awayTeam} />
              </td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </TableScroll>
  );
}

const DASH = '\u2013';

/** "Riverside Aces win 3–2 · home–away: lines 3–2, sets 7–4, games 52–41". */
export function Totals({
  totals,
  homeTeam,
  awayTeam,
}: {
  totals: TeamMatchTotals;
  homeTeam: Team;
  awayTeam: Team;
}) {
  const high = Math.max(totals.linesHome, totals.linesAway);
  const low = Math.min(totals.linesHome, totals.linesAway);
  const who =
    totals.winner === 'tie'
      ? `A tie, ${scoreText(totals)}`
      : `${totals.winner === 'home' ? homeTeam.name : awayTeam.name} win ${high}${DASH}${low}`;
  return (
    <span className="result-totals">
      <strong>{who}</strong> · home{DASH}away: lines {scoreText(totals)}, sets {totals.setsHome}
      {DASH}
      {totals.setsAway}, games {totals.gamesHome}
      {DASH}
      {totals.gamesAway}
    </span>
  );
}

/** Every step of the result: what happened, who, when, their comment and the score they gave. */
export function ResultHistory({ result }: { result: MatchResult }) {
  if (result.history.length === 0) return <p className="muted">Nothing entered yet.</p>;
  const teamName = (id: string | null) =>
    id === result.homeTeam.id
      ? result.homeTeam.name
      : id === result.awayTeam.id
        ? result.awayTeam.name
        : null;
  return (
    <ol className="result-history" aria-label="Result history">
      {result.history.map((event: ResultEvent, i) => {
        const team = teamName(event.teamId);
        return (
          <li key={`${event.at}-${i}`} className="result-history__event">
            <p>
              <strong className="result-history__kind">{EVENT_LABELS[event.kind]}</strong> ·{' '}
              {event.actor ?? 'Rally Connect'}
              {team ? ` (${team})` : ''}, <time dateTime={event.at}>{formatInstant(event.at)}</time>
            </p>
            {event.totals ? (
              <p>
                <Totals
                  totals={event.totals}
                  homeTeam={result.homeTeam}
                  awayTeam={result.awayTeam}
                />
              </p>
            ) : null}
            {event.lines && event.lines.length > 0 ? (
              <p className="muted">
                {event.lines.map((l) => `${lineName(l.kind, l.line)} ${l.text}`).join(' · ')}
              </p>
            ) : null}
            {event.comment ? (
              <blockquote className="result-comment">{event.comment}</blockquote>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
