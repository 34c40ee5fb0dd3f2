FROM alpine:3.20
# policy:ignore CP101 -- the user is set below, so this is stale  # expect: CP001
RUN apk add --no-cache curl
USER 10001
HEALTHCHECK CMD ["/bin/true"]
