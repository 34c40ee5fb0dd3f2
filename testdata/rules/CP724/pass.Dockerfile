FROM debian:12-slim AS fetch
RUN apt-get update && apt-get install -y --no-install-recommends wget ca-certificates
RUN wget -q -O /tmp/app.tgz https://example.com/app-1.2.0.tgz

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL -o /usr/local/bin/tini https://github.com/krallin/tini/releases/download/v0.19.0/tini
COPY --from=fetch /tmp/app.tgz /tmp/app.tgz
