FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && apt-get -o APT::Install-Recommends=false install -y jq \
 && rm -rf /var/lib/apt/lists/*
# Mentions apt-get in an argument, does not run it.
RUN echo "apt-get install curl" > /notes.txt && echo apt-get install x
