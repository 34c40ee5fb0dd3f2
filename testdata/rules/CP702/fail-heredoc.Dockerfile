# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
# expect: CP702
RUN <<EOT bash
  set -e
  apt-get update
  apt-get install -y --no-install-recommends nginx
EOT
