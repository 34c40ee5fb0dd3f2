FROM debian:12-slim
RUN wget --progress=dot:giga -O /tmp/jdk.tgz https://download.java.net/openjdk/jdk21/ri/openjdk-21+35_linux-x64_bin.tar.gz \
 && tar -xzf /tmp/jdk.tgz -C /opt && rm /tmp/jdk.tgz
RUN wget -qO- https://example.com/checksums.txt > /tmp/checksums.txt
RUN apt-get purge -y wget
