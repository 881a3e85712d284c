import { ExplainNode, RawNode, type KyselyPlugin, type QueryResult, type UnknownRow } from 'kysely';
import type { Database, Tx } from '../db/database';
import { leaguesRepository } from '../modules/leagues/leagues.repository';
import { matchesRepository } from '../modules/matches/matches.repository';
import { playersRepository } from '../modules/players/players.repository';
import { ratingReadsRepository } from '../modules/ratings/ratings.repository';
import { standingsRepository } from '../modules/standings/standings.repository';
import { teamsRepository } from '../modules/teams/teams.repository';
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
export const HOT_READS: Record<
  string,
  (tx: Tx, ids: HotIds, plain: Tx) => Promise<unknown>
> = {
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
      limit: 100,
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
  'division visible': (tx, i) => leaguesRepository.findDivision(tx, i.divisionId),
  'team league': (tx, i) => playersRepository.teamLeague(tx, i.teamId),
  'team roster': (tx, i) => playersRepository.roster(tx, i.teamId),
  'team line players': async (tx, i, plain) =>
    playersRepository.linePlayers(
      tx,
      (await playersRepository.teamLines(plain, i.teamId)).map((l) => l.matchId),
    ),
  'team names': async (tx, i, plain) =>
    playersRepository.names(tx, await teamPlayers(plain, i.teamId)),
  'team ratings': async (tx, i, plain) =>
    ratingReadsRepository.ratings(tx, await teamPlayers(plain, i.teamId), 'tennis'),
  'player latest sport': (tx, i) => ratingReadsRepository.latestRatedSport(tx, i.playerId),
  'player history': (tx, i) => ratingReadsRepository.ratingHistory(tx, i.playerId, 'tennis'),
  'player line players': async (tx, i, plain) =>
    playersRepository.linePlayers(tx, await playerMatches(plain, i.playerId)),
  'player names': async (tx, i, plain) =>
    playersRepository.names(tx, [
      i.playerId,
      ...(
        await playersRepository.linePlayers(plain, await playerMatches(plain, i.playerId))
      ).map((m) => m.userId),
    ]),
};

/** The players a team's stats name: its roster and who played its lines. */
async function teamPlayers(tx: Tx, teamId: string): Promise<string[]> {
  const lines = await playersRepository.teamLines(tx, teamId);
  const mates = await playersRepository.linePlayers(
    tx,
    lines.map((l) => l.matchId),
  );
  const roster = await playersRepository.roster(tx, teamId);
  return [
    ...new Set([
      ...roster.map((r) => r.userId),
      ...mates.filter((m) => m.teamId === teamId).map((m) => m.userId),
    ]),
  ];
}

/** The matches a player page names partners and opponents of: lines and rating moves. */
async function playerMatches(tx: Tx, userId: string): Promise<string[]> {
  const [lines, history] = [
    await playersRepository.playerLines(tx, userId),
    await ratingReadsRepository.ratingHistory(tx, userId, 'tennis'),
  ];
  return [...lines.map((l) => l.matchId), ...history.map((h) => h.matchId)];
}

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
  await db.withUser(userId, (tx) => run(tx.withPlugin(plugin) as Tx, ids, tx));
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
