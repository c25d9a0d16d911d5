import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * A large request body read straight from the TCP socket into memory its consumer chooses.
 *
 * Node's HTTP parser hands every socket read (≤ 64 KiB) to JavaScript as a newly allocated copy,
 * and a large upload then pays a malloc, page faults and a memcpy per read, and our copy into
 * the hash/write blocks on top (storage.hashing.ts): together about as much CPU as the MD5 the
 * ETag needs. Node's sockets can read into a caller's buffer instead (`net.Socket`'s `onread`
 * option; its per-read callback may name the next buffer), so once a PUT's headers are parsed and
 * the request is authorised, the consumer (`ParallelBlobSink.ingest`) detaches the parser from
 * the socket and the kernel copies the body directly into its blocks.
 *
 * The parser never sees the rest of the body, so the connection closes after the response (one
 * TCP handshake per multi-MiB upload). Only plain HTTP/1.x bodies with a Content-Length qualify
 * (not TLS, not chunked, not aws-chunked), and only where this node exposes what is needed
 * (checked per request: `socketBodyFor` answers null otherwise). Until a consumer takes it over,
 * a SocketBody is an ordinary Readable of the request body, so every other consumer (encrypted
 * uploads, small-object paths) reads it as before.
 */

/** The consumer's side of a direct read. */
export interface BodyConsumer {
  /** Where the next bytes go: a non-empty view of at most `max` bytes, valid until `data`. */
  next(max: number): Buffer;
  /** `n` bytes arrived in the last view; false pauses reading until `resume()`. */
  data(n: number): boolean;
}

export interface DirectRead {
  /** Resolves once `length` bytes arrived; rejects when the client goes away first. */
  done: Promise<void>;
  /** Continue after `data` answered false. */
  resume(): void;
  /** Stop reading (the consumer failed); `done` rejects with `err`. */
  abort(err: Error): void;
}

interface StreamHandle {
  reading: boolean;
  readStart(): number;
  readStop(): number;
  useUserBuffer(buf: Uint8Array): void;
}

interface Internals {
  socket: IncomingMessage['socket'] & Record<symbol, unknown>;
  handle: StreamHandle;
  parser: { unconsume(): void; _consumed?: boolean };
  kBuffer: symbol;
  kBufferCb: symbol;
  kBufferGen: symbol;
  /** node's http server's 'end' listener: it asks the parser to finish, which fails mid-body. */
  onEnd: (...args: unknown[]) => void;
}

function aborted(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

/** What a direct read needs from node's internals, or null when something is missing. */
function internalsOf(req: IncomingMessage): Internals | null {
  const socket = req.socket as (IncomingMessage['socket'] & Record<symbol, unknown>) | null;
  if (!socket || socket.destroyed || (socket as { encrypted?: boolean }).encrypted) return null;
  const handle = (socket as unknown as { _handle?: Partial<StreamHandle> })._handle;
  const parser = (socket as unknown as { parser?: { unconsume?: unknown } }).parser;
  if (
    !handle ||
    typeof handle.useUserBuffer !== 'function' ||
    typeof handle.readStart !== 'function' ||
    typeof handle.readStop !== 'function' ||
    !parser ||
    typeof parser.unconsume !== 'function'
  )
    return null;
  const symbols = new Map(Object.getOwnPropertySymbols(socket).map((s) => [s.description, s]));
  const kBuffer = symbols.get('kBuffer');
  const kBufferCb = symbols.get('kBufferCb');
  const kBufferGen = symbols.get('kBufferGen');
  if (!kBuffer || !kBufferCb || !kBufferGen || socket[kBuffer] != null) return null;
  const onEnd = socket.listeners('end').find((f) => f.name === 'bound socketOnEnd');
  if (!onEnd) return null;
  return {
    onEnd: onEnd as Internals['onEnd'],
    socket,
    handle: handle as StreamHandle,
    parser: parser as Internals['parser'],
    kBuffer,
    kBufferCb,
    kBufferGen,
  };
}

/**
 * The request's body as a SocketBody when it can be read directly (plain HTTP/1.x, a
 * Content-Length of `length`, no transfer coding), else null.
 */
export function socketBodyFor(req: IncomingMessage, res: ServerResponse, length: number): SocketBody | null {
  if (req.httpVersionMajor !== 1 || req.headers['transfer-encoding'] !== undefined || length <= 0)
    return null;
  const internals = internalsOf(req);
  return internals ? new SocketBody(req, res, length, internals) : null;
}

export class SocketBody extends Readable {
  private mode: 'idle' | 'stream' | 'direct' = 'idle';

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    readonly length: number,
    private readonly internals: Internals,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.on('error', () => undefined); // consumers see it through their pipeline
  }

  /** Nobody has read from it yet, so `takeOver` may. */
  get canTakeOver(): boolean {
    return this.mode === 'idle' && !this.destroyed && !this.internals.socket.destroyed;
  }

  /** Stream mode: the body as node's parser delivers it (what every other consumer gets). */
  override _read(): void {
    if (this.mode === 'stream') {
      this.req.resume();
      return;
    }
    if (this.mode !== 'idle') return;
    this.mode = 'stream';
    const { req } = this;
    req.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) req.pause();
    });
    req.on('end', () => this.push(null));
    req.on('error', (err) => this.destroy(err));
    req.on('close', () => {
      if (!req.complete) this.destroy(aborted());
    });
  }

  /** Read the body into `consumer`'s memory (see the module comment). Once, before any `_read`. */
  takeOver(consumer: BodyConsumer): DirectRead {
    if (!this.canTakeOver) throw new Error('the body is already being read');
    this.mode = 'direct';
    const { req, res } = this;
    const { socket, handle, parser, kBuffer, kBufferCb, kBufferGen, onEnd: parserOnEnd } = this.internals;
    // The parser will not see the end of this body: the connection closes after the response.
    res.shouldKeepAlive = false;

    // Bytes the parser already took from the socket (sent before "100 Continue" or without Expect).
    const early: Buffer[] = [];
    for (let chunk = req.read() as Buffer | null; chunk !== null; chunk = req.read() as Buffer | null)
      early.push(chunk);
    if (parser._consumed !== false) {
      parser.unconsume();
      parser._consumed = false;
    }

    let remaining = this.length;
    let paused = false;
    let finished = false;
    let attached = false;
    let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
    const done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    done.catch(() => undefined);
    const scratch = Buffer.allocUnsafe(16 * 1024);

    const end = (err: Error | null) => {
      if (finished) return;
      finished = true;
      socket.off('close', onClose);
      socket.off('error', onError);
      socket.off('end', onEnd);
      // Whatever the socket still delivers (nothing, from a well-behaved client) goes to scratch
      // memory the socket itself holds: the consumer's memory may be reused or freed after this,
      // and node keeps only a raw pointer to the buffer it reads into.
      socket[kBuffer] = scratch;
      socket[kBufferCb] = () => false;
      socket[kBufferGen] = () => scratch;
      if (attached) handle.useUserBuffer(scratch);
      if (err) {
        this.destroy(err);
        settle!.reject(err);
      } else {
        this.push(null);
        settle!.resolve();
      }
    };
    const onClose = () => end(aborted());
    const onError = (err: Error) => end(err);
    // The client half-closed: before the whole body, that is an abort; after it, the response
    // still goes out (node closes the connection once it is written).
    const onEnd = () => {
      if (finished) return;
      end(aborted());
      socket.destroy();
    };
    socket.on('close', onClose);
    socket.on('error', onError);
    socket.off('end', parserOnEnd);
    socket.on('end', onEnd);

    const startReading = () => {
      if (finished || paused) return;
      if (!attached) {
        attached = true;
        socket[kBuffer] = consumer.next(remaining);
        socket[kBufferCb] = (n: number) => {
          remaining -= n;
          const more = consumer.data(n);
          if (remaining === 0) {
            end(null);
            return false;
          }
          if (!more) paused = true;
          return more;
        };
        socket[kBufferGen] = () => (remaining > 0 && !finished ? consumer.next(remaining) : scratch);
        handle.useUserBuffer(socket[kBuffer] as Buffer);
      }
      if (!handle.reading) {
        handle.reading = true;
        handle.readStart();
      }
    };

    const pump = () => {
      while (early.length > 0 && !paused && !finished) {
        const chunk = early[0]!;
        const region = consumer.next(remaining);
        const n = Math.min(region.length, chunk.length, remaining);
        region.fill(n === chunk.length ? chunk : chunk.subarray(0, n), 0, n);
        if (n === chunk.length) early.shift();
        else early[0] = chunk.subarray(n);
        remaining -= n;
        const more = consumer.data(n);
        if (remaining === 0) {
          end(null);
          return;
        }
        if (!more) paused = true;
      }
      if (early.length === 0) startReading();
    };

    queueMicrotask(pump);
    return {
      done,
      resume: () => {
        if (finished || !paused) return;
        paused = false;
        pump();
      },
      abort: (err: Error) => {
        if (handle.reading) {
          handle.reading = false;
          handle.readStop();
        }
        end(err);
      },
    };
  }
}
