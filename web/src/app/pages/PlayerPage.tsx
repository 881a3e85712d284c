import { useParams, useSearchParams } from 'react-router';
import { PlayerProfile, usePlayerPage } from '../../features/players';
import { sportLabel } from '../../features/ratings';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

/** A player's ratings, their history and why they moved, and their stats; per sport. */
export function PlayerPage() {
  const { playerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const me = useOptionalUser();
  const page = usePlayerPage(playerId, params.get('sport'));

  if (!page.data || isGone(page.error))
    return <QueryProblem what="player" query={page} signedIn={Boolean(me)} />;
  const data = page.data;
  const isMe = me?.id === data.player.id;

  return (
    <Page
      title={data.player.name}
      eyebrow={isMe ? 'Your player page' : 'Player'}
      lead={`${sportLabel(data.sport)} ratings and results`}
    >
      {data.sports.length > 1 ? (
        <div className="tabs" role="group" aria-label="Sport">
          {data.sports.map((sport) => (
            <button
              key={sport}
              type="button"
              className="tabs__tab"
              aria-pressed={sport === data.sport}
              onClick={() => setParams({ sport }, { replace: true })}
            >
              {sportLabel(sport)}
            </button>
          ))}
        </div>
      ) : null}
      <PlayerProfile page={data} isMe={isMe} />
    </Page>
  );
}
