import pg from 'pg';

/** What a listener is told: each notice, and whenever notices may have been missed. */
export interface NoticeHandlers {
  /** A notice's payload, in the order PostgreSQL sent them. */
  message(payload: string): void;
  /**
   * The listening connection opened (`listening` true: notices arrive from now on) or was lost
   * (false: until it opens again, nothing arrives). Either way, earlier notices may have been
   * missed: whatever was kept on their strength must be dropped.
   */
  reset(listening: boolean): void;
}

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 30_000;

/**
 * Listens on `channel` of the PostgreSQL server at `url` on a connection of its own (a pooled
 * connection cannot stay subscribed). A lost connection is opened again, waiting longer after
 * each failure (0.25 s up to 30 s). Returns a function that stops listening.
 */
export function listen(
  url: string,
  channel: string,
  handlers: NoticeHandlers,
  onError: (error: Error) => void,
): () => Promise<void> {
  let stopped = false;
  let current: pg.Client | undefined;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void open();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  };

  const open = async () => {
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    let lost = false;
    const lose = (error?: Error) => {
      if (error) onError(error);
      if (lost) return;
      lost = true;
      if (current === client) {
        current = undefined;
        handlers.reset(false);
      }
      client.end().catch(() => {});
      retry();
    };
    client.on('error', lose);
    client.on('end', () => lose());
    client.on('notification', (notice) => {
      if (notice.channel === channel) handlers.message(notice.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lose(error as Error);
      return;
    }
    if (stopped || lost) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    retryMs = FIRST_RETRY_MS;
    handlers.reset(true);
  };

  void open();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const client = current;
    current = undefined;
    await client?.end().catch(() => {});
  };
}
