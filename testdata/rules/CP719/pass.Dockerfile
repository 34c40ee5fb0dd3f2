FROM node:20-slim AS assets
WORKDIR /app
COPY package.json ./

FROM golang:1.22 AS build
COPY --from=assets /app/package.json ./
COPY --from=0 /app /assets
COPY --from=docs /site /srv/docs

FROM gcr.io/distroless/static-debian12
COPY --from=build /go/bin/app /app
COPY --from=busybox:1.36 /bin/busybox /busybox
