FROM node:20-slim AS assets
WORKDIR /app
# expect: CP719
COPY --from=assets /app/package.json ./

FROM golang:1.22 AS build
# expect: CP719
COPY --from=final /etc/passwd /tmp/passwd
# expect: CP719
COPY --from=5 /app/dist ./dist

FROM gcr.io/distroless/static-debian12 AS final
COPY --from=build /go/bin/app /app
