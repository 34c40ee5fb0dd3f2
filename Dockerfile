# The production image of `policy`: one statically linked binary on
# `scratch`, run as a numeric non-root user, writing nothing but the report
# file it is asked for (`--read-only` works).
#
#   docker build -t container-policy .
#   docker run --rm --read-only -v "$PWD:/src:ro" container-policy check .
#
# glibc is linked into the binary (`-C target-feature=+crt-static`), so the
# image holds no libc, shell or package manager. `policy` resolves no host
# names: it reads files and talks to the Docker engine over its socket.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /build
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY policies ./policies
COPY vendor ./vendor
COPY docs/peers.tsv ./docs/peers.tsv
ENV RUSTFLAGS="-C target-feature=+crt-static" \
    CARGO_PROFILE_RELEASE_STRIP=symbols \
    CARGO_PROFILE_RELEASE_DEBUG=0
RUN cargo build --release --locked --target "$(uname -m)-unknown-linux-gnu" \
    && cp "target/$(uname -m)-unknown-linux-gnu/release/policy" /policy

FROM scratch
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="container-policy" \
      org.opencontainers.image.description="Policy and lint engine for Dockerfiles, compose files, Kubernetes manifests, Helm charts and images" \
      org.opencontainers.image.source="https://github.com/container-policy/container-policy" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      policy.container/ignore="CP601 -- a command-line tool: it runs once and exits, there is no service to probe"
COPY --from=build /policy /policy
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/policy"]
CMD ["check", "."]
