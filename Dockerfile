# Klaxon container image: `podman build -t klaxon .` or `docker build -t klaxon .`
# Two stages: the first installs every dependency and compiles the server and the console; the
# second holds only the production dependencies and the compiled output, and runs as `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
RUN node scripts/build-web.mjs && node scripts/build-server.mjs

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KLAXON_DATA_DIR=/var/lib/klaxon
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/src/db/migrations ./src/db/migrations
# The embedded database lives here when DATABASE_URL is unset; owner-only, as Klaxon requires.
RUN mkdir -p /var/lib/klaxon && chown node:node /var/lib/klaxon && chmod 0700 /var/lib/klaxon
USER node
VOLUME ["/var/lib/klaxon"]
EXPOSE 3000
STOPSIGNAL SIGTERM
# The check starts a Node.js process: on a loaded host that alone can take seconds (seen over 3 s in CI).
HEALTHCHECK --interval=10s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --v8-pool-size=0: V8's background threads (garbage collection, compilation) one per CPU instead of
# four, as `npm start` runs it; each thread's malloc arena stays resident (package.json, README).
CMD ["node", "--v8-pool-size=0", "dist/main.js"]
