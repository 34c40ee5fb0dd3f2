# A stage named by a build argument may be what --from refers to.
ARG BUILD_STAGE=build-stage
FROM golang:1.23 AS ${BUILD_STAGE}
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=build-stage /out/app /app
