FROM golang:1.22 AS build-go
RUN go build -o /app ./cmd/app

FROM node:20-slim AS build-web
RUN npm ci && npm run build

FROM gcr.io/distroless/static-debian12
COPY --from=build-go /app /app
