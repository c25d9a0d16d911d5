import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { observeRawResponse } from './observe.ts';

export type RawHandler = (req: IncomingMessage, res: ServerResponse, mount: string) => void;

/**
 * Path prefixes on the main port that bypass Fastify entirely (no routing, URL decoding, body or
 * Content-Type parsing): protocols with their own wire format, such as S3 under `/s3`, whose
 * clients expect S3's XML errors for every request, malformed ones included.
 *
 * A request matches a mount when its path is the prefix itself or continues with `/` or `?`
 * (`/s3`, `/s3/bucket`, `/s3?x` — not `/s3x`).
 */
export class RawMounts {
  private readonly mounts: { prefix: string; handler: RawHandler }[] = [];

  mount(prefix: string, handler: RawHandler): void {
    if (!/^\/[a-z0-9][a-z0-9-]*$/.test(prefix)) throw new Error(`Invalid raw mount prefix '${prefix}'`);
    if (this.mounts.some((m) => m.prefix === prefix)) throw new Error(`'${prefix}' is already mounted`);
    this.mounts.push({ prefix, handler });
  }

  /**
   * `Expect` headers on the main port: a raw mount gets the request unanswered (it decides when
   * to send "100 Continue"); everything else keeps node's default behaviour.
   */
  attachExpect(server: Server, fallback: (req: IncomingMessage, res: ServerResponse) => void): Server {
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (this.dispatch(req, res)) return;
      res.writeContinue();
      fallback(req, res);
    });
    server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      if (this.dispatch(req, res)) return;
      res.writeHead(417, { 'content-length': '0' });
      res.end();
    });
    return server;
  }

  /** Hand the request to its mount; false when no mount matches (Fastify takes it). */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    for (const { prefix, handler } of this.mounts) {
      if (!url.startsWith(prefix)) continue;
      const next = url.charAt(prefix.length);
      if (next !== '' && next !== '/' && next !== '?') continue;
      observeRawResponse(prefix, req, res);
      handler(req, res, prefix);
      return true;
    }
    return false;
  }
}
