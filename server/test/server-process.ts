import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CSRF_COOKIE, CSRF_HEADER } from '../plugins/session';

/** One JSON log line of the server (pino): `level` 50 and above are errors. */
export interface LogLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, the port the server chose. */
  url: string;
  pid: number;
  /** Every JSON line the server has written to stdout so far. */
  logs: LogLine[];
  /** What it wrote to stderr so far (a crash's stack trace). */
  stderr(): string;
  /** The process's exit code once it has exited by itself (null while it runs, or if killed). */
  exitCode(): number | null;
  /** Sends the signal and waits until the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const running = new Set<ChildProcess>();

/** How to run the server: its TypeScript through tsx (as `npm run dev`), or the build. */
export const SOURCE_SERVER = ['--import', 'tsx', 'server/main.ts'];
/** The compiled server, as `npm start` and the image run it (`npm run build` first). */
export const COMPILED_SERVER = ['--enable-source-maps', 'dist/server.js'];

/**
 * Starts the server in a child process (`SOURCE_SERVER` unless told), with only `env` (plus PATH
 * and HOME) for its environment, listening on a free port of 127.0.0.1 unless `env` sets PORT.
 * Resolves once it listens. Call `killServers` in `afterAll` so no child outlives a failed test.
 */
export async function startServer(
  env: Record<string, string>,
  timeoutMs = 180_000,
  nodeArgs = SOURCE_SERVER,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1:4800',
      ...env,
      // Its "Server listening at" line (info) tells the port.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // A line cut by SIGKILL: nothing to learn from it.
      }
    }
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not listen within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      const line = logs.find((l) => l.msg?.startsWith('Server listening at '));
      if (line) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve((line.msg as string).slice('Server listening at '.length));
      }
    }, 50);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the server exited with ${child.exitCode}:\n${stderr}`));
    });
  });

  return {
    url,
    pid: child.pid as number,
    logs,
    stderr: () => stderr,
    exitCode: () => child.exitCode,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Kills every server this test file started that still runs (for `afterAll`). */
export async function killServers(): Promise<void> {
  const waits = [...running].map(
    (child) => new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(waits);
}

/** Waits until `condition` holds, checking every 50 ms, for at most `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A browser stand-in over real HTTP: keeps cookies and sends the CSRF cookie back in the header
 * on writes, as the web app does. Every request is aborted after `timeoutMs`, so a hung server
 * shows up as an error rather than as a stuck test.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(
    public baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    const sent: Record<string, string> = { ...headers };
    const csrf = this.cookies.get(CSRF_COOKIE);
    if (method !== 'GET' && csrf) sent[CSRF_HEADER] = csrf;
    if (body !== undefined) sent['content-type'] = 'application/json';
    if (this.cookies.size > 0) {
      sent.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: kept as text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Signs in as a demo account (the server runs with DEMO_MODE=true). */
  async signInAsDemo(user: string): Promise<void> {
    await this.request('GET', '/api/auth/config');
    const signIn = await this.request('POST', '/api/auth/demo', { user });
    if (signIn.status !== 204) {
      throw new Error(`demo sign-in answered ${signIn.status}: ${JSON.stringify(signIn.body)}`);
    }
    // The CSRF token bound to the new session comes with the next answer.
    await this.request('GET', '/api/me');
  }
}

/** The first division of the demo league, which the demo organizer runs. */
export async function demoDivision(client: HttpClient): Promise<string> {
  const leagues = (await client.request('GET', '/api/leagues')).body as {
    id: string;
    access: { isOrganizer: boolean };
  }[];
  const league = leagues.find((l) => l.access.isOrganizer);
  if (!league) throw new Error('the demo organizer runs no league');
  const detail = (await client.request('GET', `/api/leagues/${league.id}`)).body as {
    seasons: { divisions: { id: string }[] }[];
  };
  const division = detail.seasons.flatMap((s) => s.divisions)[0];
  if (!division) throw new Error('the demo league has no division');
  return division.id;
}
