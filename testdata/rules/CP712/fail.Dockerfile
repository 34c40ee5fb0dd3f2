FROM debian:12-slim AS tools
# expect: CP712
RUN wget -qO- https://github.com/example/tool/releases/download/v1.2.0/tool.tar.gz | tar -xz -C /usr/local/bin
SHELL ["/bin/bash", "-c"]
# expect: CP712
RUN if [ -n "$EXTRA" ]; then curl -fsSL "$EXTRA" | sudo tee /etc/extra.conf; fi

FROM tools
# expect: CP712
RUN <<EOT
set -e
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
EOT
# expect: CP712
RUN echo "$(curl -fsSL https://example.com/tool.sha256 | cut -d' ' -f1)  /tool" | sha256sum -c -
