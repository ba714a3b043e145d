# syntax=docker/dockerfile:1
# Build on the current Node LTS; the runtime image holds only production dependencies and the compiled CLI.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HANDBOOK_BOT_CONFIG=/app/config/handbook-bot.yml
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config/handbook-bot.example.yml ./config/handbook-bot.example.yml
# `handbook-bot check` on PATH, for the reusable CI template that runs the image on a handbook's pages.
RUN chmod +x dist/cli.js \
    && ln -s /app/dist/cli.js /usr/local/bin/handbook-bot
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/cli.js", "serve"]
