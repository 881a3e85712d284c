/**
 * `npm run bench:pages -- [--runs 200]`: the four page reads of migration 0014 against the
 * statements they replaced, interleaved in one run on the configured database (`DATABASE_URL`
 * with the scale set of scale.ts, or embedded PGlite in `RALLY_DATA_DIR`), as a player of the scale
 * set's first league: per read, the median and 90th percentile of the whole transaction
 * (`withUser`) in ms, and the statements it sent. Markdown on stdout. bench/load/README.md.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../server/config';
import { openDatabase, type Tx } from '../../server/db/database';
import { leaguesRepository } from '../../server/modules/leagues/leagues.repository';
import { matchesRepository } from '../../server/modules/matches/matches.repository';
import { playersRepository } from '../../server/modules/players/players.repository';
import { ratingReadsRepository } from '../../server/modules/ratings/ratings.repository';
import { teamsRepository } from '../../server/modules/teams/teams.repository';
import { scaleId } from './scale';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 200;

const db = await openDatabase(loadConfig());
try {
  const id = async (key: string) =>
    (await sql<{ id: string }>`select ${scaleId(key)}::text as id`.execute(db.owner)).rows[0]
      ?.id as string;
  const divisionId = await id('division:1');
  const teamId = await id('team:1:1');
  const playerId = await id('player:1:1:2');
  const user = await id('player:1:1:3');

  /** The team stats' statements before 0014, in the order the service sent them. */
  const teamStatsBefore = async (tx: Tx) => {
    await teamsRepository.find(tx, teamId);
    await playersRepository.teamLeague(tx, teamId);
    await playersRepository.teamResults(tx, teamId);
    const lines = await playersRepository.teamLines(tx, teamId);
    const roster = await playersRepository.roster(tx, teamId);
    const mates = await playersRepository.linePlayers(
      tx,
      lines.map((l) => l.matchId),
    );
    const ids = [...new Set([...roster.map((r) => r.userId), ...mates.map((m) => m.userId)])];
    await playersRepository.names(tx, ids);
    await ratingReadsRepository.ratings(tx, ids, 'tennis');
  };
  /** The player page's statements before 0014. */
  const playerBefore = async (tx: Tx) => {
    await playersRepository.person(tx, playerId);
    await ratingReadsRepository.ratings(tx, [playerId], null);
    const sport = (await ratingReadsRepository.latestRatedSport(tx, playerId)) ?? 'tennis';
    const lines = await playersRepository.playerLines(tx, playerId);
    const history = await ratingReadsRepository.ratingHistory(tx, playerId, sport);
    const mates = await playersRepository.linePlayers(tx, [
      ...lines.map((l) => l.matchId),
      ...history.map((h) => h.matchId),
    ]);
    await playersRepository.names(tx, [playerId, ...mates.map((m) => m.userId)]);
  };
  const reads: [string, (tx: Tx) => Promise<unknown>][] = [
    [
      'division matches, before',
      async (tx) => {
        await leaguesRepository.findDivision(tx, divisionId);
        await matchesRepository.division(tx, divisionId);
      },
    ],
    ['division matches, after', (tx) => matchesRepository.divisionPage(tx, divisionId)],
    [
      'team matches, before',
      async (tx) => {
        await teamsRepository.find(tx, teamId);
        await matchesRepository.ofTeam(tx, teamId);
      },
    ],
    ['team matches, after', (tx) => matchesRepository.teamPage(tx, teamId)],
    ['team stats, before', teamStatsBefore],
    ['team stats, after', (tx) => playersRepository.teamStatsData(tx, teamId)],
    ['player page, before', playerBefore],
    ['player page, after', (tx) => playersRepository.playerPageData(tx, playerId)],
  ];
  const times = new Map<string, number[]>(reads.map(([name]) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, read] of reads) {
      const start = process.hrtime.bigint();
      await db.withUser(user, read);
      times.get(name)?.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const at = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.floor(q * (list.length - 1))] ?? NaN;
  console.log(`| read | median ms | p90 ms |  (${runs} runs, interleaved)`);
  console.log('| --- | ---: | ---: |');
  for (const [name, list] of times) {
    console.log(`| ${name} | ${at(list, 0.5).toFixed(2)} | ${at(list, 0.9).toFixed(2)} |`);
  }
} finally {
  await db.close();
}
