# The final stage builds on `base`, so base's layers are in the image.
FROM debian:bookworm-slim AS base
# expect: CP701
RUN apt-get update && apt install -y git && rm -rf /var/lib/apt/lists/*

FROM base
USER 10001
