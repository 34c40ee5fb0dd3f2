# The builder runs as root; only the final stage counts.
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
USER root
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
