# One image for every Switchboard process (worker, api, web, voice-gateway); compose picks the command.
FROM node:20-bookworm-slim

ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    PATH=/app/node_modules/.bin:$PATH

RUN mkdir /app && chown node:node /app
WORKDIR /app
# Not root at run time; everything under /app (including web/build written at start) is node's.
USER node

# Dependencies first so source edits reuse the cached npm ci layer. Dev dependencies are kept on
# purpose: tsx runs the TypeScript sources directly and the web build needs vite/remix.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci

COPY --chown=node:node . .
# The API serves widget/dist/widget.js; build it into the image rather than at every start.
RUN tsx widget/build.ts
# The worker loads its workflow code bundled here, not with webpack at every start (and its memory).
RUN tsx temporal/bundle-main.ts dist/workflows.bundle.js

ENV NODE_ENV=production
