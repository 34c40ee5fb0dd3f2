# The final stage carries the labels of the stage it builds on.
FROM alpine:3.20 AS base
LABEL "team"="payments" \
      org.opencontainers.image.source=https://github.com/example/api

FROM base
LABEL app.kubernetes.io/name api
USER 10001
CMD ["app"]
