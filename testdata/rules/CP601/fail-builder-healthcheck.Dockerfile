# A HEALTHCHECK in a builder stage does not reach an unrelated final stage.
FROM golang:1.23 AS build
HEALTHCHECK CMD ["/bin/true"]
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

# expect: CP601
FROM alpine:3.20
COPY --from=build /out/api /api
USER 65532
ENTRYPOINT ["/api"]
