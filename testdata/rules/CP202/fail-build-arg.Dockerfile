# Global ARGs: the tag is the default, `node:latest`; an ARG without a
# default is unset, so the `:-` default is what is pulled.
ARG NODE_TAG=latest
ARG NGINX_TAG
# expect: CP202
FROM node:${NODE_TAG} AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

# Declared after the first FROM: not visible to FROM, which pulls `alpine:latest`.
ARG ALPINE_TAG=3.20
# expect: CP202
FROM alpine:${ALPINE_TAG:-latest} AS certs
RUN apk add --no-cache ca-certificates

# expect: CP202
FROM nginx:${NGINX_TAG:-latest}
COPY --from=build /src/dist /usr/share/nginx/html
