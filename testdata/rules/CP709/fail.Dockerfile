# Labels of a builder stage do not reach the image.
FROM golang:1.23 AS build
LABEL team=payments app.kubernetes.io/name=api
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# expect: CP709
FROM alpine:3.20
LABEL team=payments
COPY --from=build /out/app /usr/local/bin/app
USER 10001
CMD ["app"]
