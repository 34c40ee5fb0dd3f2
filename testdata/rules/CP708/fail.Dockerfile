FROM ubuntu:24.04
USER ubuntu
# expect: CP708
RUN sudo apt-get update \
 && sudo apt-get install -y --no-install-recommends git \
 && sudo rm -rf /var/lib/apt/lists/*
