# The demo mesh's simulated servers (deploy/compose.yaml): the gateway image's sources plus the
# simulators (test/sim), the demo walk-through (test/demo) and deploy/demo/start-sim.ts.
# Build from the repository root (compose does): docker build -f deploy/demo.Dockerfile .
# Its own ignore file (demo.Dockerfile.dockerignore, BuildKit) lets test/ in, unlike .dockerignore.
# Not for production: simulators hold their state in memory and trust everyone.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim AS demo
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY gateway ./gateway
COPY adapters ./adapters
COPY config ./config
COPY test/sim ./test/sim
COPY test/demo ./test/demo
COPY deploy/demo ./deploy/demo
USER 1000:1000
STOPSIGNAL SIGTERM
CMD ["node", "test/demo/run-demo.ts"]
