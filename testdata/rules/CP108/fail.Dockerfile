# The builder's user does not matter; the final stage's does.
FROM golang:1.23 AS build
USER 10001
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM debian:bookworm-slim
RUN useradd -u 1000 app
COPY --from=build /out/app /usr/local/bin/app
# expect: CP108
USER 1000:1000
CMD ["app"]
