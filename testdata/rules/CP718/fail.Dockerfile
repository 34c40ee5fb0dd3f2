FROM python:3.12-slim AS build
# expect: CP718
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
# expect: CP718
RUN pip install --no-cache-dir -r requirements.txt gunicorn

FROM node:20-alpine
# expect: CP718
RUN apk add --no-cache tini && npm install -g pnpm@9.1.0 @angular/cli
# expect: CP718
RUN if [ -n "$GOPATH" ]; then go install github.com/go-delve/delve/cmd/dlv@latest; fi

FROM fedora:40
# expect: CP718
RUN dnf install -y --setopt=tsflags=nodocs python3-devel gcc-12.1.0 && dnf clean all
# expect: CP718
RUN microdnf install -y shadow-utils && microdnf clean all

FROM centos:7
# expect: CP718
RUN yum -y install epel-release && yum clean all

FROM opensuse/leap:15.6
# expect: CP718
RUN zypper --non-interactive in --no-recommends curl && zypper clean -a
