# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
ADD rootfs.tar.xz /
ADD vendor/node-v22.11.0-linux-x64.tar.gz /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD https://example.com/app.tgz /tmp/
ADD git@github.com:acme/tooling.git#v1.2.0 /opt/tooling
ADD ${APP_ARCHIVE} /opt/app/
COPY app.py /app/
