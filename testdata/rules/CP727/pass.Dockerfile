FROM node:20-slim AS build
ARG NPM_TOKEN
ENV NPM_TOKEN=${NPM_TOKEN}
RUN npm ci

FROM node:20-slim
ARG APP_VERSION=1.0.0
ENV APP_VERSION=${APP_VERSION} NODE_ENV=production
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
COPY --from=build /app /app
