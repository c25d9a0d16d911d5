/** `keys list|get|create|import|delete`: SSH key pairs injected into instances. */
import fs from 'node:fs';
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { readStdin } from '../lib/prompts.ts';

type KeyPair = components['schemas']['KeyPair'];

const columns: Column<KeyPair>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'NAME', value: (k) => k.name },
  { header: 'TYPE', value: (k) => `${k.algorithm}${k.algorithm === 'ed25519' ? '' : `-${k.bits}`}` },
  { header: 'FINGERPRINT', value: (k) => k.fingerprint },
  { header: 'CREATED', value: (k) => formatTimestamp(k.createdAt) },
];

export async function resolveKey(ctx: Context, ref: string): Promise<KeyPair> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/key-pairs', { params: { query: { limit: 1000 } } }),
  )) as Page<KeyPair>;
  const hit = page.items.find((k) => k.id === ref || k.name === ref);
  if (!hit) throw new CliError(`No key pair "${ref}"`, { exitCode: ExitCode.notFound, code: 'not_found' });
  return hit;
}

function printKey(ctx: Context, k: KeyPair): void {
  ctx.out.details([
    ['ID', k.id],
    ['Name', k.name],
    ['Type', `${k.algorithm} (${k.bits} bits)`],
    ['Fingerprint', k.fingerprint],
    ['Public key', k.publicKey],
    ['Created', formatTimestamp(k.createdAt)],
  ]);
}

const KEY_TYPE = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+)$/;

/**
 * Why `text` is plainly not an OpenSSH public key line (a private key, a binary file, a PEM
 * certificate, prose), or null when it looks like one. The server checks the key data itself
 * (algorithm, size, base64) and explains those problems.
 */
export function publicKeyProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'it is empty';
  if (/PRIVATE KEY-----/.test(t))
    return 'it is a private key (never share it; import the matching .pub file)';
  if (/^-----BEGIN /.test(t))
    return 'it is a PEM file (an OpenSSH public key is one line: "ssh-ed25519 AAAA… comment")';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for binary content on purpose
  if (/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.test(t)) return 'it is a binary file, not text';
  const first = t.split(/\s+/)[0] ?? '';
  if (!KEY_TYPE.test(first))
    return `it should start with a key type such as ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256, not "${first.slice(0, 40)}"`;
  return null;
}

export function registerKeyCommands(program: Command): void {
  const keys = program
    .command('keys')
    .alias('key-pairs')
    .description('SSH key pairs: generate (private key shown once) or import public keys')
    .addHelpText(
      'after',
      examples(
        'proxicloud keys create laptop --out ~/.ssh/proxicloud_laptop',
        'proxicloud keys import work --public-key-file ~/.ssh/id_ed25519.pub',
        'proxicloud keys list',
      ),
    );

  keys
    .command('list')
    .alias('ls')
    .description('List your key pairs with fingerprints (as ssh-keygen -l shows them)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/key-pairs', { params: { query: { limit: 1000 } } }),
      )) as Page<KeyPair>;
      if (ctx.out.json) return ctx.out.printJson(page);
      if (ctx.out.quiet) {
        for (const k of page.items) ctx.out.line(k.id);
        return;
      }
      ctx.out.table(columns, page.items, 'No key pairs. Create one with `proxicloud keys create <name>`.');
    });

  keys
    .command('get <key>')
    .description('Show a key pair and its public key')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const k = await resolveKey(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(k);
      printKey(ctx, k);
    });

  keys
    .command('create <name>')
    .description('Generate a key pair; the private key is returned once and never stored')
    .addOption(
      new Option('--type <type>', 'ed25519 or rsa (RSA-4096)').choices(['ed25519', 'rsa']).default('ed25519'),
    )
    .option('--out <file>', 'write the private key to this file (mode 0600) instead of printing it')
    .addHelpText(
      'after',
      `
The private key is in the server's answer only. With --out it is written to the file (which must
not exist yet); otherwise it is printed. Keep it safe: it cannot be retrieved again.
${examples('proxicloud keys create laptop --out ~/.ssh/pc_laptop && ssh -i ~/.ssh/pc_laptop debian@<ip>', 'proxicloud keys create ci --type rsa -o json')}`,
    )
    .action(async (name: string, opts: { type: 'ed25519' | 'rsa'; out?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.out && fs.existsSync(opts.out))
        throw new UsageError(`${opts.out} already exists; not overwriting a key`);
      const created = await unwrap(
        ctx.api().POST('/api/v1/key-pairs', { body: { name, algorithm: opts.type } }),
      );
      if (opts.out) {
        fs.writeFileSync(opts.out, created.privateKey, { mode: 0o600, flag: 'wx' });
        fs.writeFileSync(`${opts.out}.pub`, `${created.keyPair.publicKey}\n`, { mode: 0o644, flag: 'wx' });
      }
      if (ctx.out.json) {
        ctx.out.printJson(
          opts.out ? { ...created, privateKey: undefined, privateKeyFile: opts.out } : created,
        );
        return;
      }
      ctx.out.success(`Created key pair ${created.keyPair.name} (${created.keyPair.id}).`);
      printKey(ctx, created.keyPair);
      if (opts.out) ctx.out.info(`Private key written to ${opts.out} (0600), public key to ${opts.out}.pub.`);
      else {
        ctx.out.line();
        ctx.out.raw(created.privateKey);
        ctx.out.warn('This is the only time the private key is shown. Save it now (chmod 600).');
      }
    });

  keys
    .command('import <name>')
    .description('Import an OpenSSH public key (ssh-ed25519, ssh-rsa ≥ 2048 bits, ecdsa)')
    .option('--public-key <line>', 'the public key line')
    .option('-f, --public-key-file <file>', 'read the public key from a .pub file ("-" = stdin)')
    .addHelpText(
      'after',
      examples(
        'proxicloud keys import work -f ~/.ssh/id_ed25519.pub',
        'cat key.pub | proxicloud keys import ci -f -',
      ),
    )
    .action(async (name: string, opts: { publicKey?: string; publicKeyFile?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (Boolean(opts.publicKey) === Boolean(opts.publicKeyFile))
        throw new UsageError('Give exactly one of --public-key or --public-key-file');
      let publicKey = opts.publicKey ?? '';
      if (opts.publicKeyFile === '-') publicKey = await readStdin(process.stdin, 'public key');
      else if (opts.publicKeyFile) {
        try {
          publicKey = fs.readFileSync(opts.publicKeyFile, 'utf8');
        } catch (e) {
          throw new UsageError(
            `Cannot read ${opts.publicKeyFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
          );
        }
      }
      const problem = publicKeyProblem(publicKey);
      if (problem) {
        const source =
          opts.publicKeyFile === '-' ? 'stdin' : (opts.publicKeyFile ?? 'the --public-key value');
        throw new CliError(`${source} is not an SSH public key: ${problem}`, {
          exitCode: ExitCode.validation,
          code: 'invalid_public_key',
          hint: opts.publicKeyFile?.endsWith('.pub')
            ? 'A public key is one line such as "ssh-ed25519 AAAAC3Nz… you@host".'
            : 'Import the .pub file (e.g. ~/.ssh/id_ed25519.pub): one line such as "ssh-ed25519 AAAAC3Nz… you@host".',
        });
      }
      const kp = await unwrap(
        ctx.api().POST('/api/v1/key-pairs/import', { body: { name, publicKey: publicKey.trim() } }),
      );
      if (ctx.out.json) return ctx.out.printJson(kp);
      ctx.out.success(`Imported key pair ${kp.name} (${kp.id}), ${kp.fingerprint}.`);
    });

  keys
    .command('delete <key>')
    .alias('rm')
    .description('Delete a key pair (instances launched with it keep the key)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const k = await resolveKey(ctx, ref);
      await confirmOrExit(`Delete key pair ${k.name} (${k.fingerprint})?`, opts.yes);
      await unwrap(ctx.api().DELETE('/api/v1/key-pairs/{id}', { params: { path: { id: k.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: k.id, deleted: true });
      ctx.out.success(`Deleted key pair ${k.name}.`);
    });
}
