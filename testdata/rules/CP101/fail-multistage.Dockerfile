# A USER in the builder stage does not carry over to an unrelated final stage.
FROM golang:1.23 AS build
RUN useradd -u 10001 builder
USER builder
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

# expect: CP101
FROM debian:bookworm-slim
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
