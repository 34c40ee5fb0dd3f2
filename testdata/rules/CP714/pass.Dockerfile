FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get -qq install --no-install-recommends git
RUN apt-get install -yq --no-install-recommends make
RUN echo "apt-get install foo" > /usr/local/share/hint.txt

FROM rockylinux:9
RUN dnf install -y httpd && dnf clean all
RUN yum -y update && yum clean all
RUN zypper --non-interactive install curl && zypper clean --all
