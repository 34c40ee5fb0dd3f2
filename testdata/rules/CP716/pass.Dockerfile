FROM golang:1.22-alpine AS build
RUN apk add git make

FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata
RUN apk --no-cache add curl
RUN apk add jq && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/var/cache/apk apk add bash
COPY --from=build /go/bin/app /usr/local/bin/app
