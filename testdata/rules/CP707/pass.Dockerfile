FROM golang:1.23 AS build
WORKDIR /src
COPY . .
CMD ["go", "test", "./..."]

FROM alpine:3.20 AS debug
COPY --from=build /src/app /app
CMD ["/app", "--debug"]

FROM gcr.io/distroless/static-debian12
COPY --from=build /src/app /app
ENTRYPOINT ["/app"]
CMD ["serve"]
