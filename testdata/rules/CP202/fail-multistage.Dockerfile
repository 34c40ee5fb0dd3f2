# expect: CP202
FROM golang:latest AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

# expect: CP202
FROM ${REGISTRY}/base/runtime:latest
COPY --from=build /app /app
# expect: CP202
COPY --from=mirror.gcr.io/nginx:latest /etc/nginx/mime.types /etc/mime.types
