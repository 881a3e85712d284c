import { computeStandings, type StandingsMatch } from '#domain/rules/standings';
import { StandingsRulesInput, type Standings } from '#domain/schemas/standings';
import type { Tx } from '../../db/database';
import { visibleDivision } from '../leagues';
import { standingsRepository as repo } from './standings.repository';

/** Totals of a final result as stored in `match_results.totals` (see domain/rules/scoring). */
interface StoredTotals {
  winner: 'home' | 'away' | 'tie';
  linesHome: number;
  linesAway: number;
  setsHome: number;
  setsAway: number;
  gamesHome: number;
  gamesAway: number;
  forfeitsHome?: number;
  forfeitsAway?: number;
}

/**
 * A division's table (issue #6): its teams ranked by the league's standings rules over the final
 * team-match results. The ranking itself is `computeStandings`, the same pure rule the web app
 * runs offline; this only gathers its input. 404 for a division the user cannot see.
 */
export async function divisionStandings(tx: Tx, divisionId: string): Promise<Standings> {
  await visibleDivision(tx, divisionId);
  const [league, teams, results] = await Promise.all([
    repo.rules(tx, divisionId),
    repo.teams(tx, divisionId),
    repo.finalResults(tx, divisionId),
  ]);
  // Written through LeagueInput/LeaguePatch only; parsing again keeps a bad row from ranking.
  const rules = StandingsRulesInput.parse(league?.standingsRules);
  const matches: StandingsMatch[] = results.map((r) => {
    const t = r.totals as StoredTotals;
    return {
      id: r.id,
      homeTeamId: r.homeTeamId,
      awayTeamId: r.awayTeamId,
      winner: t.winner,
      linesHome: t.linesHome,
      linesAway: t.linesAway,
      setsHome: t.setsHome,
      setsAway: t.setsAway,
      gamesHome: t.gamesHome,
      gamesAway: t.gamesAway,
      forfeitsHome: t.forfeitsHome ?? 0,
      forfeitsAway: t.forfeitsAway ?? 0,
    };
  });
  const rows = computeStandings(teams, matches, rules);
  return {
    divisionId,
    rules,
    rows: rows.map(({ teamId, name, ...row }) => ({ ...row, team: { id: teamId, name } })),
  };
}
