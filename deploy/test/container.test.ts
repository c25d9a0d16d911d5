/**
 * Static checks of the Dockerfile and deploy/compose.yaml (no container engine is needed): the
 * dependency layer copies every workspace's package.json (else `npm ci` in the image fails when a
 * workspace is added), the image runs as a non-root user with a health check on the bundle, and
 * compose wires the server to its PostgreSQL service. Building the image needs Docker/Podman.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { has, REPO, sh } from './helpers.ts';

const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
const compose = readFileSync(join(REPO, 'deploy/compose.yaml'), 'utf8');

describe('Dockerfile', () => {
  it("copies every workspace's package.json before npm ci", () => {
    const workspaces = ['apps', 'packages'].flatMap((d) =>
      readdirSync(join(REPO, d))
        .filter((w) => existsSync(join(REPO, d, w, 'package.json')))
        .map((w) => `${d}/${w}/package.json`),
    );
    const beforeCi = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
    for (const w of workspaces) expect(beforeCi, w).toContain(`COPY ${w} ${w.replace('package.json', '')}`);
  });

  it('is multi-stage, runs as the proxicloud user, has a health check and starts the bundle', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBe(2);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER proxicloud$/m);
    expect(runtime).toMatch(
      /^HEALTHCHECK .*\n\s+CMD \["node", "\/opt\/proxicloud\/current\/deploy\/healthcheck\.mjs"\]/m,
    );
    expect(runtime).toContain('apps/server/dist/main.mjs');
    expect(runtime).toMatch(/^VOLUME \["\/var\/lib\/proxicloud"\]$/m);
    expect(existsSync(join(REPO, 'deploy/healthcheck.mjs'))).toBe(true);
  });
});

describe('Dockerfile base image', () => {
  it('is the build argument BASE, defaulting to the official node:22-bookworm-slim, in both stages', () => {
    const firstFrom = dockerfile.indexOf('\nFROM ');
    expect(dockerfile.slice(0, firstFrom)).toMatch(/^ARG BASE=node:22-bookworm-slim$/m);
    expect(dockerfile.match(/^FROM \$\{BASE\}( AS build)?$/gm)?.length).toBe(2);
  });

  it.skipIf(!has('shellcheck'))('deploy/test-image.sh (the by-hand image test) is shellcheck clean', () => {
    const r = sh('shellcheck', ['deploy/test-image.sh']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('deploy/compose.yaml', () => {
  it('runs ProxiCloud on the PostgreSQL service, with a required password and persistent volumes', () => {
    expect(compose).toMatch(
      /DATABASE_URL: postgres:\/\/proxicloud:\$\{POSTGRES_PASSWORD\}@db:5432\/proxicloud/,
    );
    expect(compose).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(compose).toMatch(/condition: service_healthy/);
    expect(compose).toContain('- data:/var/lib/proxicloud');
    expect(compose).toContain('- pgdata:/var/lib/postgresql/data');
  });
});
