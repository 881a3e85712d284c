import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One item of an envelope: its header (`type`: event, transaction, client_report …) and payload. */
export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  payload: unknown;
}

/** One envelope as received: its header, items, and the whole body as text (to search it). */
export interface Envelope {
  project: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  raw: string;
}

/**
 * Parses a Sentry envelope (https://develop.sentry.dev/sdk/data-model/envelopes/): a JSON header
 * line, then per item a JSON header line and a payload, of `length` bytes when the header says,
 * else up to the next newline.
 */
export function parseEnvelope(body: Buffer, project = ''): Envelope {
  let at = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, at);
    const slice = body.subarray(at, end === -1 ? body.length : end);
    at = end === -1 ? body.length : end + 1;
    return slice;
  };
  const header = JSON.parse(line().toString('utf8')) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (at < body.length) {
    const headerLine = line().toString('utf8');
    if (headerLine.trim() === '') continue;
    const itemHeader = JSON.parse(headerLine) as EnvelopeItem['header'];
    let payload: Buffer;
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(at, at + itemHeader.length);
      at += itemHeader.length;
      if (body[at] === 0x0a) at++;
    } else {
      payload = line();
    }
    const text = payload.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // An attachment: kept as text.
    }
    items.push({ header: itemHeader, payload: parsed });
  }
  return { project, header, items, raw: body.toString('utf8') };
}

/**
 * A real HTTP server that takes the place of Sentry or GlitchTip in tests: it accepts envelopes at
 * `POST /api/<project>/envelope/` as they do and keeps them. `dsn` points an SDK at it.
 */
export interface SentryReceiver {
  dsn: string;
  origin: string;
  envelopes: Envelope[];
  /** The error events received so far (items of type `event`). */
  events(): Record<string, unknown>[];
  /** Resolves once at least `count` error events have arrived; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1, for the project `project`. */
export async function startSentryReceiver(project = '42'): Promise<SentryReceiver> {
  const envelopes: Envelope[] = [];
  const waiters = new Set<() => void>();
  const events = () =>
    envelopes.flatMap((envelope) =>
      envelope.items
        .filter((item) => item.header.type === 'event')
        .map((item) => item.payload as Record<string, unknown>),
    );
  const server: Server = createServer((request: IncomingMessage, response) => {
    const match = /^\/api\/([^/]+)\/envelope\/?(\?.*)?$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      try {
        envelopes.push(parseEnvelope(body, match[1]));
      } catch (error) {
        response.writeHead(400).end(String(error));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const wake of waiters) wake();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    dsn: `http://publickey@127.0.0.1:${port}/${project}`,
    origin,
    envelopes,
    events,
    waitForEvents(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events().length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(events());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${events().length} of ${count} events arrived in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
