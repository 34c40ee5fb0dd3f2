FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

# expect: CP101
FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
