FROM debian:bookworm-slim
# expect: CP702
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && apt-get clean
