# syntax=docker/dockerfile:1
FROM ubuntu:24.04
# expect: CP701
RUN <<EOF
set -eux
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get -y install python3 python3-venv
rm -rf /var/lib/apt/lists/*
EOF
USER ubuntu
