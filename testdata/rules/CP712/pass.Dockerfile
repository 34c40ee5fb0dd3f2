FROM debian:12-slim AS tools
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -qO- https://github.com/example/tool/releases/download/v1.2.0/tool.tar.gz | tar -xz -C /usr/local/bin

FROM tools
# Inherits the pipefail SHELL of the stage it builds on.
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg

FROM alpine:3.20
RUN set -o pipefail && wget -qO- https://example.com/t.tgz | tar -xz
RUN echo "http://dl-cdn.alpinelinux.org/alpine/edge/testing" | tee -a /etc/apk/repositories
RUN apk add --no-cache curl || true
RUN arch="$(echo x86_64 | tr _ -)" && echo "$arch"
