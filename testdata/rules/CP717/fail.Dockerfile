FROM quay.io/centos/centos:stream9
# expect: CP717
RUN yum -y install httpd \
 && yum -y update
# expect: CP717
RUN zypper --non-interactive install curl
