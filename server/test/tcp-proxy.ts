import net from 'node:net';

/**
 * A TCP proxy of a test's own in front of a shared server (PostgreSQL, Redis), so that a test can
 * take the server away from the app, as a restart or a network cut would, without touching the
 * server other tests use.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private mode: 'open' | 'refuse' | 'stall' = 'open';

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards every connection to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, target));
    return proxy;
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === 'stall') {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      client.pause();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Connections open through the proxy now (each counts both its ends). */
  get connections(): number {
    return this.sockets.size;
  }

  /**
   * The server goes away: every connection is reset, and new ones are reset as soon as they
   * are accepted, until `restore`.
   */
  cut(): void {
    this.mode = 'refuse';
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  /**
   * The network between app and server goes silent (a partition): nothing more is forwarded on
   * the open connections, and new ones are accepted but never answered, until `restore`.
   */
  stall(): void {
    this.mode = 'stall';
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  /**
   * The server is back: new connections are forwarded again. Connections that a stall left
   * hanging are reset, as the peers' TCP would give up on them.
   */
  restore(): void {
    if (this.mode === 'stall') for (const socket of this.sockets) socket.resetAndDestroy();
    this.mode = 'open';
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
