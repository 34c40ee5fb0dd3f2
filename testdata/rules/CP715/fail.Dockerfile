FROM ubuntu:24.04
# expect: CP715
RUN apt update && apt install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
