FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential=12.9 libpq-dev=15.8-0+deb12u1 \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir gunicorn==22.0.0
RUN pip install --no-cache-dir --upgrade pip setuptools wheel

FROM node:20-alpine
RUN apk add --no-cache tini=0.19.0-r3 && npm install -g pnpm@9.1.0 @angular/cli@18.0.1
RUN npm ci && npm install
RUN gem install bundler:2.5.11 && gem install rake -v 13.2.1 && go install github.com/go-delve/delve/cmd/dlv@v1.23.0

FROM fedora:40
RUN dnf install -y nginx-1.24.0 @development-tools https://example.com/x.rpm ./local.rpm && dnf module install -y nodejs:20
RUN yum install -y "tomcat-9.0.1" && yum groupinstall -y "Development Tools"
RUN zypper -n install -y curl=8.6.0 'git>=2.43' && ARCH="$(dpkg --print-architecture)"
