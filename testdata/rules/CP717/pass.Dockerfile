FROM fedora:40 AS build
RUN dnf install -y gcc make

FROM quay.io/centos/centos:stream9
RUN yum -y install httpd && yum clean all
RUN dnf install -y nginx && rm -rf /var/cache/dnf /var/cache/yum
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git
RUN zypper -n in curl && zypper clean --all
RUN echo "run yum install to add tools" > /etc/motd
