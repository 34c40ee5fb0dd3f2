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
