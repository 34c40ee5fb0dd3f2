FROM alpine:3.20
RUN apk add --no-cache openssh-client git
# expect: CP503
COPY id_rsa /root/.ssh/id_rsa
RUN git clone git@github.com:acme/private-lib.git
