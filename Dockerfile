# syntax=docker/dockerfile:1
# waba-alerts container image: build with the dev dependencies, ship dist/ with the production ones only.
#
#   docker build -t waba-alerts .
#   docker run --rm -p 8080:8080 -e REDIS_URL=redis://host:6379 waba-alerts          # start: HTTP + workers
#   docker run --rm waba-alerts --version | validate | serve | worker
#
# Config: /etc/waba-alerts/config.yaml (examples/docker/config.yaml; mount your own over it) and rules in
# /etc/waba-alerts/rules. compose.yaml runs it as `serve` + `worker` beside Redis.
# No container engine runs on our CI machines, so `npm run test:release` (test/release/dockerfile.test.ts)
# replays these steps outside a container: keep them to FROM, ARG, WORKDIR, COPY, RUN, ENV, USER, EXPOSE,
# VOLUME, HEALTHCHECK, ENTRYPOINT and CMD, and mark a RUN that only makes sense inside an image with
# "# replay: skip (why)" on the line above it.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts yet: the sources are not here, and `npm run build` below is the build.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
# replay: skip (installs a Debian package into the image; the replay runs the entrypoint without tini)
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    WABA_ALERTS_CONFIG=/etc/waba-alerts/config.yaml \
    HEALTHCHECK_URL=http://127.0.0.1:8080/healthz
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/LICENSE /app/README.md /app/config.example.yaml ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/schema ./schema
COPY --from=build /app/rules /etc/waba-alerts/rules
COPY --from=build /app/examples/docker/config.yaml /etc/waba-alerts/config.yaml
# replay: skip (gives the image's unprivileged user its data directory)
RUN mkdir -p /var/lib/waba-alerts/outbox && chown -R node:node /var/lib/waba-alerts
USER node
VOLUME /var/lib/waba-alerts
EXPOSE 8080 9464
# A worker container sets HEALTHCHECK_URL to its workers.metrics_port (compose.yaml does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini forwards SIGTERM to node (graceful shutdown) and reaps zombies.
ENTRYPOINT ["tini", "--", "node", "/app/bin/waba-alerts.js"]
CMD ["start"]
