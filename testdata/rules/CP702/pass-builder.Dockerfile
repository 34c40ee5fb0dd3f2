FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
COPY hello.c .
RUN gcc -static -o /hello hello.c

FROM scratch
COPY --from=build /hello /hello
