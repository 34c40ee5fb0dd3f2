ARG BASE=registry.example.com/base/python:3.12
FROM ${BASE} AS deps
RUN pip install --no-cache-dir -r requirements.txt

FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM docker.io/library/alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates

FROM build AS test
RUN go test ./...

FROM scratch
COPY --from=certs /etc/ssl/certs /etc/ssl/certs
COPY --from=build /out/app /app
COPY --from=ghcr.io/example/tools:1.0 /bin/healthcheck /healthcheck
ENTRYPOINT ["/app"]
