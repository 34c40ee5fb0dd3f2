# `apt-get dist-clean` (apt 2.7+) removes the lists as well.
FROM debian:trixie-slim
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	apt-get dist-clean
