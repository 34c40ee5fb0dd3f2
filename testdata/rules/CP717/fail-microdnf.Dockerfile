FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
# expect: CP717
RUN microdnf install -y shadow-utils && useradd -u 10001 app
USER 10001
