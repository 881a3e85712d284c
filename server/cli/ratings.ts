/**
 * `rally ratings replay <matches.csv>`: a sequential replay of a matches file through the rating
 * engine, printing `match_id,p_a` for every row, each computed before the row's result is learned.
 * Streams both ways, so memory depends on the number of players, not on the file's length.
 */
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { RatingEngine } from '#domain/ratings/engine';
import { MATCHES_HEADER, emptyMatchRow, parseMatchRow } from '#domain/ratings/matches-csv';

const USAGE = 'Usage: rally ratings replay <matches.csv>\n';
const FLUSH_AT = 1 << 16;

/** How a replay ended. */
export interface ReplayOutcome {
  /** Data rows replayed. */
  rows: number;
  /** Rows whose non-empty score was not used, with the first such problem. */
  scoreProblems: number;
  firstScoreProblem: string | null;
  /** The malformed line that stopped the replay, if any. */
  error: { line: number; reason: string } | null;
  /** A failure writing the output (e.g. EPIPE when piped into `head`), which stops the replay. */
  outputError: Error | null;
}

/**
 * Replays a matches file given as text chunks, writing `match_id,p_a` lines to `out` (with
 * backpressure). Stops at the first malformed line and reports it in the outcome.
 */
export async function replayMatches(
  chunks: AsyncIterable<string>,
  out: Writable,
  engine: RatingEngine = new RatingEngine(),
): Promise<ReplayOutcome> {
  const outcome: ReplayOutcome = {
    rows: 0,
    scoreProblems: 0,
    firstScoreProblem: null,
    error: null,
    outputError: null,
  };
  const row = emptyMatchRow();
  let lineNo = 0;
  let carry = '';
  let buffer = 'match_id,p_a\n';
  let stopped = false;
  // Blank lines are only allowed at the end of the file; one followed by data is an error.
  let firstBlank = 0;
  let wakeWriter: (() => void) | null = null;
  const onOutputError = (error: Error): void => {
    outcome.outputError = error;
    wakeWriter?.();
  };
  out.on('error', onOutputError);

  const flush = async (): Promise<void> => {
    if (buffer === '' || outcome.outputError) return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok && !outcome.outputError) {
      await new Promise<void>((resolve) => {
        wakeWriter = resolve;
        out.once('drain', resolve);
      });
      wakeWriter = null;
    }
  };

  const handle = (raw: string): boolean => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineNo === 1) {
      const header = line.startsWith('\uFEFF') ? line.slice(1) : line;
      if (header !== MATCHES_HEADER) {
        outcome.error = { line: 1, reason: `header must be '${MATCHES_HEADER}'` };
        return false;
      }
      return true;
    }
    if (line === '') {
      if (firstBlank === 0) firstBlank = lineNo;
      return true;
    }
    if (firstBlank !== 0) {
      outcome.error = { line: firstBlank, reason: 'empty line' };
      return false;
    }
    const reason = parseMatchRow(line, row);
    if (reason !== null) {
      outcome.error = { line: lineNo, reason };
      return false;
    }
    if (row.scoreProblem !== null) {
      outcome.scoreProblems++;
      outcome.firstScoreProblem ??= `line ${lineNo}: ${row.scoreProblem}`;
    }
    const p = engine.observe(
      row.a1,
      row.a2,
      row.b1,
      row.b2,
      row.day,
      row.aWon,
      row.gamesA,
      row.gamesB,
      row.setsA,
      row.setsB,
    );
    buffer += row.matchId + ',' + p.toFixed(6) + '\n';
    outcome.rows++;
    return true;
  };

  for await (const chunk of chunks) {
    let text = carry + chunk;
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      if (!handle(text.slice(start, nl))) {
        stopped = true;
        break;
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (stopped) break;
    text = text.slice(start);
    carry = text;
    if (buffer.length >= FLUSH_AT) await flush();
    if (outcome.outputError) {
      stopped = true;
      break;
    }
  }
  // A last line without a newline still counts.
  if (!stopped && carry !== '') handle(carry);
  if (!stopped && lineNo === 0) outcome.error = { line: 1, reason: 'the file is empty' };
  await flush();
  out.off('error', onOutputError);
  return outcome;
}

/** `rally ratings <subcommand> ...`; returns the process exit code. */
export async function ratingsCommand(argv: string[]): Promise<number> {
  const [sub, file, ...extra] = argv;
  if (sub !== 'replay' || file === undefined || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let outcome: ReplayOutcome;
  try {
    outcome = await replayMatches(input as AsyncIterable<string>, process.stdout);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`rally ratings replay: ${message}\n`);
    return 1;
  } finally {
    input.destroy();
  }
  if (outcome.scoreProblems > 0) {
    process.stderr.write(
      `rally ratings replay: ${outcome.scoreProblems} row(s) counted on the winner only, ` +
        `their score could not be used (first: ${outcome.firstScoreProblem})\n`,
    );
  }
  if (outcome.error) {
    process.stderr.write(`line ${outcome.error.line}: ${outcome.error.reason}\n`);
    return 1;
  }
  const failed = outcome.outputError as NodeJS.ErrnoException | null;
  if (failed) {
    // The reader went away (`| head`): nothing left to say to it.
    if (failed.code === 'EPIPE') return 0;
    process.stderr.write(`rally ratings replay: cannot write the output: ${failed.message}\n`);
    return 1;
  }
  return 0;
}
