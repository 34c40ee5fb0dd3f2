# The final stage builds on `base` and inherits its USER.
FROM node:22-alpine AS base
WORKDIR /app
USER node

FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM deps
COPY --chown=node:node . .
CMD ["node", "server.js"]
