FROM ubuntu:24.04
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
USER ubuntu
CMD ["bash"]
