FROM alpine:3.20 AS base
# expect: CP716
RUN apk update && apk add ca-certificates tzdata

FROM base
# expect: CP716
RUN if [ "$DEBUG" = "1" ]; then apk add --virtual .debug strace; fi
