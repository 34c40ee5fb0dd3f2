FROM debian:12
# expect: CP730
RUN cd /usr/src/app && ./configure && make
WORKDIR /srv
# expect: CP730
RUN set -eux; \
    mkdir build; \
    cd build; \
    cmake ..
