ARG BASE=python:3.12-slim
FROM ${BASE} AS base
WORKDIR /app

FROM --platform=$BUILDPLATFORM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/tool .

FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d AS certs
RUN apk add --no-cache ca-certificates

FROM localhost:5000/team/runtime:2.1
COPY --from=build /out/tool /usr/local/bin/tool
COPY --from=certs /etc/ssl/certs /etc/ssl/certs
COPY --from=0 /app /app

FROM base
COPY --from=build /out/tool /usr/local/bin/tool

FROM scratch
COPY --from=build /out/tool /tool
