FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN apt list --installed > /usr/share/doc/packages.txt
