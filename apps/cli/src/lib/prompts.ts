/**
 * Interactive prompts (on a TTY only) and stdin input for scripts. Prompts write to stderr so that
 * stdout stays clean for `-o json`. Hidden input never echoes the typed characters.
 */
import readline from 'node:readline';
import { CliError, ExitCode, UsageError } from './errors.ts';

export interface PromptInput extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  isRaw?: boolean;
  resume(): unknown;
  pause(): unknown;
  setEncoding?(encoding: BufferEncoding): unknown;
}

export interface PromptStreams {
  input?: PromptInput;
  output?: { write(chunk: string): unknown };
}

export function canPrompt(input: PromptInput = process.stdin): boolean {
  return Boolean(input.isTTY);
}

class InterruptedError extends CliError {
  constructor() {
    super('Interrupted', { exitCode: ExitCode.general, code: 'interrupted' });
  }
}

/** Ask for one line of visible input. */
export async function promptText(question: string, streams: PromptStreams = {}): Promise<string> {
  const input = (streams.input ?? process.stdin) as NodeJS.ReadableStream;
  const output = streams.output ?? process.stderr;
  const rl = readline.createInterface({ input, output: output as NodeJS.WritableStream, terminal: false });
  output.write(question);
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('line', (line) => resolve(line.trim()));
      rl.once('close', () => reject(new InterruptedError()));
      rl.once('SIGINT', () => reject(new InterruptedError()));
    });
  } finally {
    rl.close();
  }
}

/**
 * Ask for a secret without echo: raw mode, read keys until Enter. Handles backspace, Ctrl-U
 * (clear), Ctrl-C / Ctrl-D (abort). Pasted text arrives as one chunk and is handled the same.
 */
export async function promptHidden(question: string, streams: PromptStreams = {}): Promise<string> {
  const input = streams.input ?? process.stdin;
  const output = streams.output ?? process.stderr;
  if (!input.isTTY || !input.setRawMode) {
    throw new UsageError('Cannot prompt for a secret: stdin is not a terminal');
  }
  output.write(question);
  const wasRaw = Boolean(input.isRaw);
  input.setRawMode(true);
  input.setEncoding?.('utf8');
  input.resume();
  let value = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: string | Buffer) => {
        for (const ch of String(chunk)) {
          switch (ch) {
            case '\r':
            case '\n':
              cleanup();
              resolve(value);
              return;
            case '\u0003': // Ctrl-C
            case '\u0004': // Ctrl-D
              cleanup();
              reject(new InterruptedError());
              return;
            case '\u007f': // DEL (backspace on most terminals)
            case '\b':
              value = value.slice(0, -1);
              break;
            case '\u0015': // Ctrl-U
              value = '';
              break;
            default:
              if (ch >= ' ') value += ch;
          }
        }
      };
      const onEnd = () => {
        cleanup();
        reject(new InterruptedError());
      };
      const cleanup = () => {
        input.off('data', onData);
        input.off('end', onEnd);
      };
      input.on('data', onData);
      input.on('end', onEnd);
    });
  } finally {
    input.setRawMode(wasRaw);
    input.pause();
    output.write('\n');
  }
}

/** Yes/no question; anything but y/yes is "no". */
export async function confirm(question: string, streams: PromptStreams = {}): Promise<boolean> {
  const answer = await promptText(`${question} [y/N] `, streams);
  return /^y(es)?$/i.test(answer);
}

/**
 * Read all of stdin (for `--password-stdin`). One trailing newline (\n or \r\n) is removed, as
 * `echo secret | …` and here-strings add one; everything else is kept verbatim.
 */
export async function readStdin(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  what = 'input',
): Promise<string> {
  if (input.isTTY) {
    throw new UsageError(
      `Expected the ${what} on stdin, but stdin is a terminal`,
      'Pipe it in, e.g. `… < file`.',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
