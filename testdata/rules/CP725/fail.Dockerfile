FROM debian:12-slim
# expect: CP725
RUN wget -O /tmp/jdk.tgz https://download.java.net/openjdk/jdk21/ri/openjdk-21+35_linux-x64_bin.tar.gz \
 && tar -xzf /tmp/jdk.tgz -C /opt && rm /tmp/jdk.tgz
