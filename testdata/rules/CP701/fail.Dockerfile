FROM debian:bookworm-slim
# expect: CP701
RUN apt-get update && apt-get install -y curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
