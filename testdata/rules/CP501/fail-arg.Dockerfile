FROM node:22-alpine AS build
# expect: CP501
ARG NPM_AUTH_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0
RUN npm ci
