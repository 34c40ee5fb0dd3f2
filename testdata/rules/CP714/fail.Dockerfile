FROM ubuntu:24.04
# expect: CP714
RUN apt-get update && apt-get install --no-install-recommends curl
# expect: CP714
RUN if [ "$TARGETARCH" = "amd64" ]; then DEBIAN_FRONTEND=noninteractive apt-get install libfoo; fi

FROM rockylinux:9
# expect: CP714
RUN dnf install httpd && dnf clean all
