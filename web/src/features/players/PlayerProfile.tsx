import { Link } from 'react-router';
import type { PlayerPage } from '#domain/schemas/players';
import type { RatingView } from '#domain/schemas/ratings';
import { Badge, Card, TableScroll } from '../../components';
import { pluralize } from '../../lib/forms';
import {
  expectedPercent,
  formatDay,
  KIND_LABELS,
  percent,
  ratingText,
  RELIABILITY_HELP,
  RELIABILITY_LABELS,
  reliabilityOf,
  signed,
  sportLabel,
  whyMoved,
} from '../ratings';
import { RatingChart } from './RatingChart';

function RatingCard({ rating }: { rating: RatingView }) {
  const reliability = reliabilityOf(rating.reliability);
  return (
    <div className="rating-card">
      <p className="rating-card__kind">{KIND_LABELS[rating.kind]}</p>
      <p className="rating-card__value">{ratingText(rating.rating)}</p>
      <p>
        <Badge>{RELIABILITY_LABELS[reliability]}</Badge>{' '}
        <span className="muted">
          ± {Math.round(rating.deviation)} · reliability {percent(rating.reliability)}
        </span>
      </p>
      <p className="muted">
        {pluralize(rating.matches, 'rated line')}
        {rating.lastPlayed ? ` · last ${formatDay(rating.lastPlayed)}` : ''}
      </p>
    </div>
  );
}

/**
 * A player's page: ratings with how far to trust them, the rating history (chart and table),
 * record, sets and games won, streak, head-to-head and partners, and why each match moved the
 * rating.
 */
export function PlayerProfile({ page, isMe }: { page: PlayerPage; isMe: boolean }) {
  const { stats } = page;
  const name = page.player.name;
  const moves = [...page.history].reverse();
  return (
    <>
      <Card title={`${sportLabel(page.sport)} ratings`}>
        {page.ratings.length === 0 ? (
          <p className="muted">No rating yet: it starts with the first confirmed result.</p>
        ) : (
          <div className="rating-cards">
            {page.ratings.map((r) => (
              <RatingCard key={r.kind} rating={r} />
            ))}
          </div>
        )}
        <p className="table-note">
          Ratings are points around 1500 (the average player); ± is how far off it may still be.{' '}
          {RELIABILITY_HELP}
        </p>
      </Card>

      <Card title="Rating history">
        <RatingChart history={page.history} playerName={name} />
      </Card>

      <Card title="Record">
        <dl className="summary">
          <div className="summary__row">
            <dt>Lines won–lost</dt>
            <dd>
              {stats.overall.won}–{stats.overall.lost} ({percent(stats.overall.winPct)} won)
            </dd>
          </div>
          <div className="summary__row">
            <dt>Singles</dt>
            <dd>
              {stats.singles.won}–{stats.singles.lost} ({percent(stats.singles.winPct)})
            </dd>
          </div>
          <div className="summary__row">
            <dt>Doubles</dt>
            <dd>
              {stats.doubles.won}–{stats.doubles.lost} ({percent(stats.doubles.winPct)})
            </dd>
          </div>
          <div className="summary__row">
            <dt>Sets</dt>
            <dd>
              {stats.setsWon}–{stats.setsLost} ({percent(stats.setsPct)} won)
            </dd>
          </div>
          <div className="summary__row">
            <dt>Games</dt>
            <dd>
              {stats.gamesWon}–{stats.gamesLost} ({percent(stats.gamesPct)} won)
            </dd>
          </div>
          <div className="summary__row">
            <dt>Streak</dt>
            <dd>
              {stats.streak
                ? `${stats.streak.result === 'won' ? 'Won' : 'Lost'} the last ${pluralize(stats.streak.length, 'line')}`
                : 'None yet'}
            </dd>
          </div>
          {stats.walkovers.won + stats.walkovers.lost > 0 ? (
            <div className="summary__row">
              <dt>Walkovers</dt>
              <dd>
                {stats.walkovers.won} won, {stats.walkovers.lost} given
              </dd>
            </div>
          ) : null}
        </dl>
      </Card>

      <div className="grid">
        <Card title="Head-to-head">
          {stats.headToHead.length === 0 ? (
            <p className="muted">No opponents yet.</p>
          ) : (
            <TableScroll label={`Head-to-head of ${name}`}>
              <table className="data-table">
                <caption className="visually-hidden">Head-to-head of {name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Opponent</th>
                    <th scope="col">Played</th>
                    <th scope="col">Won–lost</th>
                    <th scope="col">Last</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.headToHead.map((h) => (
                    <tr key={h.opponent.id}>
                      <th scope="row">
                        <Link to={`/players/${h.opponent.id}`}>{h.opponent.name}</Link>
                      </th>
                      <td>{h.played}</td>
                      <td>
                        {h.won}–{h.lost}
                      </td>
                      <td>{formatDay(h.lastPlayed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </Card>
        <Card title="Partners">
          {stats.partners.length === 0 ? (
            <p className="muted">No doubles partners yet.</p>
          ) : (
            <TableScroll label={`Doubles partners of ${name}`}>
              <table className="data-table">
                <caption className="visually-hidden">Doubles partners of {name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Partner</th>
                    <th scope="col">Played</th>
                    <th scope="col">Won–lost</th>
                    <th scope="col">Won</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.partners.map((p) => (
                    <tr key={p.partner.id}>
                      <th scope="row">
                        <Link to={`/players/${p.partner.id}`}>{p.partner.name}</Link>
                      </th>
                      <td>{p.played}</td>
                      <td>
                        {p.won}–{p.lost}
                      </td>
                      <td>{percent(p.winPct)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </Card>
      </div>

      <Card title={isMe ? 'Why my rating moved' : `Why ${name}'s rating moved`}>
        {moves.length === 0 ? (
          <p className="muted">Nothing yet: ratings move with confirmed results.</p>
        ) : (
          <ol className="rating-moves" aria-label="Rated lines, newest first">
            {moves.map((p, i) => (
              <li key={`${p.matchId}-${p.kind}-${p.line}-${i}`} className="rating-move">
                <p className="rating-move__title">
                  <Link to={`/matches/${p.matchId}`}>
                    {formatDay(p.date)} · {KIND_LABELS[p.kind]} line {p.line}
                  </Link>{' '}
                  · {p.won ? 'Won' : 'Lost'} {p.why.score}
                  {p.opponents.length > 0
                    ? ` against ${p.opponents.map((o) => o.name).join(' & ')}`
                    : ''}
                  {p.partner ? ` with ${p.partner.name}` : ''}
                  <span
                    className={`rating-move__change rating-move__change--${p.after >= p.before ? 'up' : 'down'}`}
                  >
                    {signed(p.why.change)}
                  </span>
                </p>
                <p>{whyMoved(p, { you: isMe, name })}</p>
                <dl className="rating-move__parts">
                  <div>
                    <dt>Expected chance</dt>
                    <dd>{expectedPercent(p.why.expected)}%</dd>
                  </div>
                  <div>
                    <dt>Result part</dt>
                    <dd>{signed(p.why.result)}</dd>
                  </div>
                  <div>
                    <dt>Margin part</dt>
                    <dd>{signed(p.why.margin)}</dd>
                  </div>
                  <div>
                    <dt>Career part</dt>
                    <dd>{signed(p.why.career)}</dd>
                  </div>
                  <div>
                    <dt>Change</dt>
                    <dd>
                      {signed(p.why.change)} ({ratingText(p.before)} → {ratingText(p.after)})
                    </dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
