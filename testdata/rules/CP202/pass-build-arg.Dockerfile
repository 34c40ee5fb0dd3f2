# A tag with no default is unknown (CP205 reports it), never `latest`.
ARG NODE_TAG
ARG NGINX_TAG=1.27.3-alpine
FROM node:${NODE_TAG} AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM nginx:${NGINX_TAG:-latest}
COPY --from=build /src/dist /usr/share/nginx/html
