# Deleting the lists in a later RUN does not shrink the earlier layer.
FROM ubuntu:24.04
# expect: CP702
RUN apt-get update
RUN apt-get install -y --no-install-recommends git
RUN rm -rf /var/lib/apt/lists/*
