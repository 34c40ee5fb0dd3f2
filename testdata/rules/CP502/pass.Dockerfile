FROM alpine:3.20
RUN apk add --no-cache git
RUN --mount=type=secret,id=gh_token \
    git clone "https://x-access-token:$(cat /run/secrets/gh_token)@github.com/acme/private-lib.git" /src
ENV AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}
