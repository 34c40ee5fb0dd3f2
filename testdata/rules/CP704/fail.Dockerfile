FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates
# expect: CP704
RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
