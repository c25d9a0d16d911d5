import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { observeRawResponse } from '../../platform/http/observe.ts';
import type { Logger } from '../../platform/logger.ts';

/**
 * The dedicated S3 listener (PROXICLOUD_S3_PORT): a bare node:http server, so object bodies go
 * straight from the socket to the storage engine. No request timeout (multi-GiB uploads take
 * their time); headers must arrive within a minute.
 */
export class S3Endpoint {
  private server: Server | null = null;

  constructor(
    private readonly handler: (req: IncomingMessage, res: ServerResponse, mount: string) => void,
    private readonly logger: Logger,
  ) {}

  /** Listen (HTTPS when `tls` is given); resolves with the bound port (port 0 → ephemeral). */
  async listen(host: string, port: number, tls?: { cert: string; key: string } | null): Promise<number> {
    if (this.server) throw new Error('S3 endpoint is already listening');
    const opts = { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 30_000 };
    // requests on this port count in /metrics' S3 series like those on the main port's /s3
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      observeRawResponse('s3-port', req, res);
      this.handler(req, res, '');
    };
    const server: Server = tls
      ? (createHttpsServer({ ...opts, cert: tls.cert, key: tls.key }, handle) as unknown as Server)
      : createServer(opts, handle);
    // Expect: 100-continue is answered by the handler once the request is authenticated (not by
    // node before we saw it), and an Expect value we do not know is ignored (S3 does not 417).
    server.on('checkContinue', handle);
    server.on('checkExpectation', handle);
    server.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      this.logger.debug({ err }, 's3 client error');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    this.logger.info({ host, port: bound, tls: Boolean(tls) }, 'S3 endpoint is listening');
    return bound;
  }

  get port(): number | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : null;
  }

  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then cut what is left. */
  async close(graceMs = 10_000): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }
}
