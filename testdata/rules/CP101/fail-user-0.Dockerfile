FROM alpine:3.20
RUN adduser -D -u 10001 app
USER app
RUN apk add --no-cache tini
# expect: CP101
USER 0
ENTRYPOINT ["/sbin/tini", "--"]
