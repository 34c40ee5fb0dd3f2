FROM node:20-slim AS base
WORKDIR /app

FROM base AS build
COPY package.json ./
RUN npm ci

FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
ADD nginx.conf /etc/nginx/conf.d/default.conf
COPY entrypoint.sh $NGINX_HOME/

FROM scratch AS bin
COPY --from=build /app/dist .
