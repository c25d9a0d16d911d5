import { StorageError } from './storage.errors.ts';

/**
 * Body framings a direct socket read (storage.socket-body.ts) decodes itself: HTTP/1.1 chunked
 * transfer coding, and that around a framing of the body's own (aws-chunked: AwsChunkedDecoder in
 * storage.s3.sigv4.ts implements BodyFraming too).
 */

/**
 * A body's framing (aws-chunked: AwsChunkedDecoder), so a direct read can put chunk data straight
 * in place and hand only the framing bytes to the decoder. In stream mode the framing is a
 * Transform the request is piped through.
 */
export interface BodyFraming {
  /** How many of the next raw bytes are data that may be read straight into place (0: framing). */
  dataAhead(): number;
  /** `n` (≤ dataAhead()) data bytes were read straight into place. */
  tookData(n: number): void;
  /** Decode raw bytes; chunk data goes to `emit` as views into `raw`. Throws on bad framing. */
  consumeRaw(raw: Buffer, emit: (piece: Buffer) => void): void;
  /** The raw body ended; throws when its framing is incomplete. */
  finishBody(): void;
  /** The framing itself marks the end of the body (HTTP chunked: the last chunk and trailer). */
  ended?(): boolean;
}

function badChunking(message: string): Error {
  return new StorageError('IncompleteBody', message);
}

/**
 * HTTP/1.1 chunked transfer coding (RFC 9112 §7.1), for a direct read of a body sent without a
 * Content-Length (the AWS SDK streams aws-chunked bodies so). Chunk extensions and trailer fields
 * are read and ignored, as node's parser does for S3's purposes. Bytes after the end are a
 * pipelined request; the connection closes after this one anyway, so they are dropped.
 */
export class HttpChunkedFraming implements BodyFraming {
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'size';
  private remaining = 0;
  private line = '';
  private crlfSeen = 0;

  dataAhead(): number {
    return this.state === 'data' ? this.remaining : 0;
  }

  tookData(n: number): void {
    this.remaining -= n;
    if (this.remaining === 0) {
      this.state = 'data-crlf';
      this.crlfSeen = 0;
    }
  }

  consumeRaw(raw: Buffer, emit: (piece: Buffer) => void): void {
    let off = 0;
    while (off < raw.length) {
      switch (this.state) {
        case 'size':
        case 'trailer': {
          const lf = raw.indexOf(0x0a, off);
          const end = lf < 0 ? raw.length : lf;
          this.line += raw.toString('latin1', off, end);
          if (this.line.length > 4096) throw badChunking('An HTTP chunk header line is too long.');
          off = end;
          if (lf < 0) break;
          off++;
          if (!this.line.endsWith('\r'))
            throw badChunking('An HTTP chunk header line does not end with CRLF.');
          const line = this.line.slice(0, -1);
          this.line = '';
          if (this.state === 'trailer') {
            if (line === '') this.state = 'done';
            break;
          }
          const size = line.split(';')[0]!.trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(size)) throw badChunking('Invalid HTTP chunk size.');
          this.remaining = Number.parseInt(size, 16);
          this.state = this.remaining === 0 ? 'trailer' : 'data';
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, raw.length - off);
          emit(raw.subarray(off, off + n));
          off += n;
          this.tookData(n);
          break;
        }
        case 'data-crlf': {
          if (raw[off] !== (this.crlfSeen === 0 ? 0x0d : 0x0a))
            throw badChunking('HTTP chunk data is not followed by CRLF.');
          off++;
          if (++this.crlfSeen === 2) this.state = 'size';
          break;
        }
        case 'done':
          return;
      }
    }
  }

  finishBody(): void {
    if (this.state !== 'done') throw badChunking('The chunked body ended before its last chunk.');
  }

  ended(): boolean {
    return this.state === 'done';
  }
}

/** HTTP chunking around a body framing of its own (aws-chunked): data is data in both. */
export class LayeredFraming implements BodyFraming {
  constructor(
    private readonly outer: HttpChunkedFraming,
    private readonly inner: BodyFraming,
  ) {}
  dataAhead(): number {
    return Math.min(this.outer.dataAhead(), this.inner.dataAhead());
  }
  tookData(n: number): void {
    this.outer.tookData(n);
    this.inner.tookData(n);
  }
  consumeRaw(raw: Buffer, emit: (piece: Buffer) => void): void {
    this.outer.consumeRaw(raw, (piece) => this.inner.consumeRaw(piece, emit));
  }
  finishBody(): void {
    this.outer.finishBody();
    this.inner.finishBody();
  }
  ended(): boolean {
    return this.outer.ended();
  }
}
