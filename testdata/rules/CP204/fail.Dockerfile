# Base images of builder stages are pulled too.
# expect: CP204
FROM quay.io/team/golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM build AS test
RUN go test ./...

# expect: CP204
FROM ghcr.io/example-evil/runtime:2.1
COPY --from=build /out/app /usr/local/bin/app
# expect: CP204
COPY --from=bitnami/kubectl:1.31 /opt/bitnami/kubectl/bin/kubectl /usr/local/bin/kubectl
USER 10001
ENTRYPOINT ["app"]
