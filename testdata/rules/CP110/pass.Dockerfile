FROM debian:12-slim
EXPOSE 8080 2222 22/udp
