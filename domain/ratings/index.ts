/**
 * Rally Connect's rating engine: singles and doubles ratings with uncertainty, learned from
 * results and scores, with an explanation of every update. Pure domain code: no I/O.
 */
export { DEFAULT_PARAMS, DISPLAY_CENTRE, DISPLAY_SCALE, LEVEL_SKILL, RatingEngine } from './engine';
export type {
  MatchExplanation,
  MatchResult,
  PlayerMove,
  PlayerRating,
  PlayerState,
  RatingParams,
  Side,
} from './engine';
export { parseScore } from './score';
export type { MatchScore, ScoreResult, SetScore } from './score';
export { formatIsoDay, monthOfDay, parseIsoDay } from './dates';
export { MATCHES_HEADER, emptyMatchRow, parseMatchRow } from './matches-csv';
export type { MatchRow } from './matches-csv';
