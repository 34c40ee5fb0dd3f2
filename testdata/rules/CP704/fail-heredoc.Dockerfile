# syntax=docker/dockerfile:1
FROM alpine:3.20
# expect: CP704
RUN <<EOF
apk add --no-cache curl bash
curl -fsSL https://get.k3s.io | sh -s - --disable traefik
EOF
