FROM node:22 AS build
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile && yarn build

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY package.json yarn.lock ./
RUN yarn install --production && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn add serve
RUN echo "run yarn install first" > /etc/motd
USER 1000
