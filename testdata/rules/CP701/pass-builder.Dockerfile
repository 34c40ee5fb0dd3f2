# Builder stages are not shipped.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y build-essential
COPY . /src
RUN make -C /src

FROM debian:bookworm-slim
COPY --from=build /src/out/app /usr/local/bin/app
