FROM golang:1.22 AS build
RUN go build -o /app ./cmd/app

FROM node:20-slim AS web
RUN npm ci && npm run build

# expect: CP720
FROM node:20-slim AS Build
RUN npm run test
