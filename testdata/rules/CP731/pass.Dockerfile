FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=cache,target=/root/.cache pip install requests
ENV PATH=/opt/bin:$PATH
RUN make
RUN set -eux; \
    ./configure; \
    make; \
    make install
