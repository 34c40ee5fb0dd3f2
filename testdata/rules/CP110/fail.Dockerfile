FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
EXPOSE 8080 22 # expect: CP110
