ARG BASE_IMAGE
FROM --platform=$BUILDPLATFORM golang:1.23@sha256:51a6466e8dbf3e00e422eb0f7a97ac450b2d57b33617bbe8d2ee0bddcd9d0d37 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM build AS test
RUN go test ./...

FROM ${BASE_IMAGE}
COPY --from=build /app /app
COPY --from=test /src/report.xml /report.xml

FROM scratch
COPY --from=build /app /app
