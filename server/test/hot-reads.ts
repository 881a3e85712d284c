import { ExplainNode, RawNode, type KyselyPlugin, type QueryResult, type UnknownRow } from 'kysely';
import type { Database, Tx } from '../db/database';
import { leaguesRepository } from '../modules/leagues/leagues.repository';
import { matchesRepository } from '../modules/matches/matches.repository';
import { playersRepository } from '../modules/players/players.repository';
import { ratingReadsRepository } from '../modules/ratings/ratings.repository';
import { standingsRepository } from '../modules/standings/standings.repository';
import { teamsRepository } from '../modules/teams/teams.repository';
import { viewerRepository } from '../db/viewer.repository';
import { venuesRepository } from '../modules/venues/venues.repository';

/**
 * The statements behind the pages a player opens most (issue #12): the repositories' own
 * queries, run as a signed-in user, each turned into `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`
 * by a plugin. Used by server/db/explain.test.ts and bench/load/explain.ts.
 */

/** What the pages are about: a league, its division, a team of it and a player on it. */
export interface HotIds {
  leagueId: string;
  divisionId: string;
  teamId: string;
  playerId: string;
}

/**
 * Tables that grow with the installation (at 40 leagues: 400 teams to 72,000 line players): a
 * sequential scan of one fails the plan checks (explain.test.ts, page-plans.test.ts).
 */
export const LARGE_TABLES = new Set([
  'users',
  'profiles',
  'teams',
  'team_members',
  'matches',
  'match_results',
  'line_results',
  'line_players',
  'player_ratings',
  'rating_events',
]);

/** A node of a JSON plan, as much of it as the checks read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

export interface ExplainedStatement {
  read: string;
  plan: PlanNode;
  planningMs: number;
  executionMs: number;
  /** Buffers the statement touched: shared hits and reads, the whole plan's. */
  buffers: number;
}

/** The hot reads, each one repository call (some make more than one statement). */
export const HOT_READS: Record<string, (tx: Tx, ids: HotIds) => Promise<unknown>> = {
  'league page': (tx, i) => leaguesRepository.find(tx, i.leagueId),
  'league seasons': (tx, i) => leaguesRepository.seasons(tx, i.leagueId),
  'league organizers': (tx, i) => leaguesRepository.organizers(tx, i.leagueId),
  'league venues': (tx, i) => venuesRepository.list(tx, i.leagueId),
  'division teams': (tx, i) => teamsRepository.divisionTeams(tx, i.divisionId),
  'division matches': (tx, i) => matchesRepository.division(tx, i.divisionId),
  'standings rules': (tx, i) => standingsRepository.rules(tx, i.divisionId),
  'standings teams': (tx, i) => standingsRepository.teams(tx, i.divisionId),
  'standings results': (tx, i) => standingsRepository.finalResults(tx, i.divisionId),
  leaderboard: (tx) =>
    ratingReadsRepository.leaderboard(tx, {
      sport: 'tennis',
      kind: 'singles',
      scope: null,
      minMatches: 0,
      q: undefined,
      // The API's default page, which the board of the smallest data set in explain.test.ts fills.
      limit: 50,
    }),
  'player name': (tx, i) => playersRepository.person(tx, i.playerId),
  'player sport': (tx, i) => playersRepository.teamSport(tx, i.playerId),
  'player lines': (tx, i) => playersRepository.playerLines(tx, i.playerId),
  'player ratings': (tx, i) => ratingReadsRepository.ratings(tx, [i.playerId], null),
  'team page': (tx, i) => teamsRepository.find(tx, i.teamId),
  'team members': (tx, i) => teamsRepository.members(tx, i.teamId),
  'team matches': (tx, i) => matchesRepository.ofTeam(tx, i.teamId),
  'team lines': (tx, i) => playersRepository.teamLines(tx, i.teamId),
  'team results': (tx, i) => playersRepository.teamResults(tx, i.teamId),
  'my teams': (tx, i) => teamsRepository.myTeams(tx, i.playerId),
  // The pages' own statements since migration 0014 (one each, visibility checked inside).
  'division matches page': (tx, i) => matchesRepository.divisionPage(tx, i.divisionId),
  'team matches page': (tx, i) => matchesRepository.teamPage(tx, i.teamId),
  'team stats page': (tx, i) => playersRepository.teamStatsData(tx, i.teamId),
  'player page': (tx, i) => playersRepository.playerPageData(tx, i.playerId),
  // The key of the pages shared by visibility (decision 0016), read once per user and write.
  'viewer key': (tx) => viewerRepository.visibilityQuery(tx).execute(),
};

/** Turns every select into `explain (analyze, buffers, format json) …` and keeps the plans. */
class ExplainPlugin implements KyselyPlugin {
  readonly plans: { plan: PlanNode; planningMs: number; executionMs: number }[] = [];

  transformQuery: KyselyPlugin['transformQuery'] = ({ node }) =>
    node.kind === 'SelectQueryNode'
      ? { ...node, explain: ExplainNode.create('json', RawNode.createWithSql('analyze, buffers')) }
      : node;

  async transformResult({ result }: { result: QueryResult<UnknownRow> }) {
    const [value] = Object.values(result.rows[0] ?? {});
    if (value !== undefined) {
      const [top] = (typeof value === 'string' ? JSON.parse(value) : value) as {
        Plan: PlanNode;
        'Planning Time': number;
        'Execution Time': number;
      }[];
      if (top) {
        this.plans.push({
          plan: top.Plan,
          planningMs: top['Planning Time'],
          executionMs: top['Execution Time'],
        });
      }
    }
    return { ...result, rows: [] };
  }
}

/** Every statement of the hot read `read`, explained, as `userId`. */
export async function explainRead(
  db: Database,
  userId: string,
  read: string,
  ids: HotIds,
): Promise<ExplainedStatement[]> {
  const run = HOT_READS[read];
  if (!run) throw new Error(`no hot read ${read}`);
  const plugin = new ExplainPlugin();
  await db.withUser(userId, (tx) => run(tx.withPlugin(plugin) as Tx, ids));
  return plugin.plans.map((p) => ({
    read,
    ...p,
    buffers: p.plan['Shared Hit Blocks'] + p.plan['Shared Read Blocks'],
  }));
}

/** Every node of a plan, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}
