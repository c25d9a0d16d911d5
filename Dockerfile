# ProxiCloud container image: the API, web console, S3 endpoint and jobs in one process.
#   docker build -t proxicloud .            (or: docker compose -f deploy/compose.yaml up -d)
# Stage 1 builds the release tarball exactly as `npm run release` does for deploy/install.sh
# (server and CLI bundles, the console, production node_modules); stage 2 runs it as a non-root user.
# Volumes, environment and ports: docs/install.md, "Container".
# BASE: any Debian 12 image with Node.js 22 (and npm) in /usr/local; deploy/test-image.sh builds
# one from Debian packages and the npm registry to test this file without Docker Hub.
ARG BASE=node:22-bookworm-slim

FROM ${BASE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first (cached while only sources change).
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/cli/package.json apps/cli/
COPY apps/web/package.json apps/web/
COPY packages/sdk/package.json packages/sdk/
COPY packages/proxmox-client/package.json packages/proxmox-client/
COPY packages/proxmox-sim/package.json packages/proxmox-sim/
COPY packages/pve-schema/package.json packages/pve-schema/
COPY packages/iac/package.json packages/iac/
COPY packages/function-runner/package.json packages/function-runner/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w @proxicloud/web \
 && node scripts/release.mjs --out /out \
 && mkdir /out/app \
 && tar -xzf /out/proxicloud-*.tar.gz -C /out/app --strip-components=1

FROM ${BASE}
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# tini reaps child processes (pg_dump, zfs, ssh); postgresql-client for `proxicloud admin backup`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini postgresql-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system proxicloud \
 && useradd --system --gid proxicloud --home-dir /var/lib/proxicloud --shell /usr/sbin/nologin proxicloud \
 && mkdir -p /var/lib/proxicloud \
 && chown proxicloud:proxicloud /var/lib/proxicloud
COPY --from=build /out/app /opt/proxicloud/current
RUN ln -s /opt/proxicloud/current/apps/cli/bin/proxicloud.mjs /usr/local/bin/proxicloud
ENV NODE_ENV=production \
    PROXICLOUD_DATA_DIR=/var/lib/proxicloud \
    PROXICLOUD_HOST=0.0.0.0 \
    PROXICLOUD_PORT=8080 \
    PROXICLOUD_S3_PORT=9000
USER proxicloud
WORKDIR /var/lib/proxicloud
VOLUME ["/var/lib/proxicloud"]
EXPOSE 8080 9000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/opt/proxicloud/current/deploy/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-semi-space-size=4", "--initial-old-space-size=48", "/opt/proxicloud/current/apps/server/dist/main.mjs"]
