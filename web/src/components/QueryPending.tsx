import { describeError } from '../lib/forms';
import { Banner } from './Banner';
import { Loading } from './Loading';

export interface QueryPendingProps {
  query: { error: unknown; isError: boolean; fetchStatus: string };
  /** Said while offline with nothing cached, e.g. "The venues will appear when you are back online." */
  offline: string;
  /** The loading indicator's label. */
  loading: string;
}

/**
 * What a section shows while its query has no data yet: the error, a word that it will come once
 * back online (the query is paused), or a loading indicator. Pages use `QueryProblem` instead.
 */
export function QueryPending({ query, offline, loading }: QueryPendingProps) {
  if (query.isError) return <Banner tone="error">{describeError(query.error)}</Banner>;
  if (query.fetchStatus === 'paused') return <p className="muted">{offline}</p>;
  return <Loading label={loading} />;
}
