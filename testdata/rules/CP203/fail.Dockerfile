# expect: CP203
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

# expect: CP203
FROM --platform=linux/amd64 gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
# expect: CP203
COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /bin/uv
