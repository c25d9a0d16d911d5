import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, type Transform } from 'node:stream';
import { type BodyFraming, HttpChunkedFraming, LayeredFraming } from './storage.body-framing.ts';
import { PARALLEL_HASH_MIN_BYTES } from './storage.hashing.ts';

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

/** The socket's byte count when each request reached the handler (`noteRequestStart`). */
const bytesAtStart = new WeakMap<IncomingMessage, number>();

/**
 * Call when the request reaches the handler, synchronously from node's 'request' event, i.e.
 * while node's parser is still executing the socket read that held the request head. An
 * HTTP-chunked body can be taken over only if nothing of it has reached the parser: that read
 * must end with the head (a body byte after it could be a chunk-size line the parser consumed
 * without passing anything on) and the socket must read nothing more before the take-over.
 */
export function noteRequestStart(req: IncomingMessage): void {
  if ((req.headers['transfer-encoding'] ?? '').toLowerCase() !== 'chunked') return;
  const socket = req.socket as
    | (IncomingMessage['socket'] & { parser?: { getCurrentBuffer?: () => unknown } })
    | null;
  let current: unknown;
  try {
    current = socket?.parser?.getCurrentBuffer?.();
  } catch {
    return;
  }
  // The read ends with the head's blank line. (Body bytes ending in CRLF CRLF without completing
  // the message carry chunk data, which then sits in the request: `readableLength` catches it.)
  if (
    Buffer.isBuffer(current) &&
    current.length >= 4 &&
    current.readUInt32BE(current.length - 4) === 0x0d0a0d0a
  )
    bytesAtStart.set(req, socket!.bytesRead);
}

/** Nothing of an HTTP-chunked body can have reached node's parser yet. */
function chunkedUntouched(req: IncomingMessage): boolean {
  const at = bytesAtStart.get(req);
  return at !== undefined && at === req.socket?.bytesRead && req.readableLength === 0 && !req.complete;
}

/**
 * The request's body as a SocketBody when it can be read directly, else null: plain HTTP/1.x
 * with a Content-Length of `rawLength`, or (`rawLength` null) HTTP chunked around an aws-chunked
 * `framing` with `Expect: 100-continue`, so no byte of the body has reached node's parser before
 * the "100 Continue" that the SocketBody itself sends when it is first read (and the socket has
 * read nothing since the request reached the handler: `noteRequestStart`). With `framing`,
 * `length` is the decoded length the consumer receives. `sendContinue` answers an Expect. Bodies
 * smaller than PARALLEL_HASH_MIN_BYTES are never read directly.
 */
export function socketBodyFor(
  req: IncomingMessage,
  res: ServerResponse,
  rawLength: number | null,
  framed: { framing: BodyFraming & Transform; length: number } | null,
  sendContinue: () => void,
): SocketBody | null {
  // below this the upload is hashed inline (storage.hashing.ts), not in blocks a read could fill
  if (req.httpVersionMajor !== 1 || (framed?.length ?? rawLength ?? 0) < PARALLEL_HASH_MIN_BYTES) return null;
  const te = req.headers['transfer-encoding'];
  if (rawLength === null) {
    const expecting = (req.headers.expect ?? '').toLowerCase() === '100-continue';
    if (!framed || te?.toLowerCase() !== 'chunked' || !expecting || !chunkedUntouched(req)) return null;
  } else if (te !== undefined || rawLength <= 0) return null;
  const internals = internalsOf(req);
  if (!internals) return null;
  const direct =
    rawLength === null ? new LayeredFraming(new HttpChunkedFraming(), framed!.framing) : framed?.framing;
  return new SocketBody(
    req,
    res,
    rawLength,
    internals,
    framed?.framing ?? null,
    direct ?? null,
    framed?.length ?? rawLength!,
    sendContinue,
  );
}

/** Framing bytes are read into small side buffers (two, so one can hold data still queued). */
const SIDE_BYTES = 1024;

export class SocketBody extends Readable {
  private mode: 'idle' | 'stream' | 'direct' = 'idle';

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    /** Content-Length; null: HTTP chunked (the framing finds the end). */
    private readonly rawLength: number | null,
    private readonly internals: Internals,
    /** Decodes the body in stream mode (node's parser has removed any HTTP chunking). */
    private readonly framing: (BodyFraming & Transform) | null,
    /** Decodes the raw socket bytes in direct mode. */
    private readonly directFraming: BodyFraming | null,
    /** The bytes the consumer receives (the decoded length, with framing). */
    readonly length: number,
    private readonly sendContinue: () => void,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.on('error', () => undefined); // consumers see it through their pipeline
  }

  /** Nobody has read from it yet, so `takeOver` may. */
  get canTakeOver(): boolean {
    // HTTP chunked: decoded bytes already in the request cannot be lined up with the raw stream
    if (this.rawLength === null && !chunkedUntouched(this.req)) return false;
    return this.mode === 'idle' && !this.destroyed && !this.internals.socket.destroyed;
  }

  /** Stream mode: the body as node's parser delivers it (what every other consumer gets). */
  override _read(): void {
    const source: Readable = this.framing ?? this.req;
    if (this.mode === 'stream') {
      source.resume();
      return;
    }
    if (this.mode !== 'idle') return;
    this.mode = 'stream';
    this.sendContinue();
    const { req } = this;
    if (this.framing) req.pipe(this.framing);
    source.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) source.pause();
    });
    source.on('end', () => this.push(null));
    source.on('error', (err) => this.destroy(err));
    req.on('error', (err) => this.destroy(err));
    req.on('close', () => {
      if (!req.complete) this.destroy(aborted());
    });
  }

  /** Read the body into `consumer`'s memory (see the module comment). Once, before any `_read`. */
  takeOver(consumer: BodyConsumer): DirectRead {
    if (!this.canTakeOver) throw new Error('the body is already being read');
    this.mode = 'direct';
    const { req, res, directFraming: framing } = this;
    const { socket, handle, parser, kBuffer, kBufferCb, kBufferGen, onEnd: parserOnEnd } = this.internals;
    // The parser will not see the end of this body: the connection closes after the response.
    res.shouldKeepAlive = false;

    // Raw bytes the parser already took from the socket (sent before "100 Continue" or without Expect).
    const early: Buffer[] = [];
    for (let chunk = req.read() as Buffer | null; chunk !== null; chunk = req.read() as Buffer | null)
      early.push(chunk);
    if (parser._consumed !== false) {
      parser.unconsume();
      parser._consumed = false;
    }
    // only now may the client send the body (an HTTP-chunked one must not reach the parser)
    this.sendContinue();

    let rawRemaining = this.rawLength ?? Number.POSITIVE_INFINITY;
    /** The whole body is in: its length, or its framing's end. */
    const bodyDone = () => rawRemaining === 0 || (framing?.ended?.() ?? false);
    /** Data decoded from early bytes or a side read, waiting for room in the consumer. */
    const pending: Buffer[] = [];
    let paused = false;
    let finished = false;
    let attached = false;
    const sides = [Buffer.allocUnsafe(SIDE_BYTES), Buffer.allocUnsafe(SIDE_BYTES)];
    let side = 0;
    /** The buffer node reads into next is the consumer's memory (true) or a side buffer. */
    let targetIsConsumer = false;
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

    /** Raw bytes that did not go straight into place: decoded (with framing) into `pending`. */
    const decode = (raw: Buffer) => {
      if (framing) framing.consumeRaw(raw, (piece) => pending.push(piece));
      else pending.push(raw);
    };

    /** Copy queued data into the consumer while it has room. */
    const deliver = () => {
      while (pending.length > 0 && !paused) {
        const piece = pending[0]!;
        const region = consumer.next(piece.length);
        const n = Math.min(region.length, piece.length);
        region.fill(piece, 0, n);
        if (n === piece.length) pending.shift();
        else pending[0] = piece.subarray(n);
        if (!consumer.data(n)) paused = true;
      }
    };

    /** The whole raw body is in and delivered: check the framing ended properly. */
    const complete = () => {
      try {
        framing?.finishBody();
        end(null);
      } catch (err) {
        end(err as Error);
      }
    };

    /** Where the next read goes: straight into the consumer's memory when the bytes are data. */
    const nextTarget = (): Buffer => {
      if (finished || bodyDone()) return scratch;
      const ahead =
        pending.length > 0 ? 0 : framing ? Math.min(framing.dataAhead(), rawRemaining) : rawRemaining;
      if (ahead > 0) {
        targetIsConsumer = true;
        return consumer.next(ahead);
      }
      targetIsConsumer = false;
      // not the side buffer queued data may still point into
      side ^= 1;
      return sides[side]!.subarray(0, Math.min(SIDE_BYTES, rawRemaining));
    };

    const onRead = (n: number): boolean => {
      rawRemaining -= n;
      try {
        if (targetIsConsumer) {
          framing?.tookData(n);
          if (!consumer.data(n)) paused = true;
        } else {
          decode(sides[side]!.subarray(0, n));
          deliver();
        }
      } catch (err) {
        end(err as Error);
        return false;
      }
      if (bodyDone() && pending.length === 0) {
        complete();
        return false;
      }
      return !paused && !bodyDone();
    };

    const startReading = () => {
      if (finished || paused) return;
      if (!attached) {
        attached = true;
        socket[kBuffer] = nextTarget();
        socket[kBufferCb] = onRead;
        socket[kBufferGen] = nextTarget;
        handle.useUserBuffer(socket[kBuffer] as Buffer);
      }
      if (!handle.reading) {
        handle.reading = true;
        handle.readStart();
      }
    };

    const pump = () => {
      try {
        for (;;) {
          if (finished) return;
          deliver();
          if (paused) return;
          const raw = early.shift();
          if (!raw) break;
          rawRemaining -= raw.length;
          decode(raw);
        }
      } catch (err) {
        end(err as Error);
        return;
      }
      if (bodyDone()) complete();
      else startReading();
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
