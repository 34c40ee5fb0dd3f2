FROM alpine:3.20
RUN apk add --no-cache git
# expect: CP502
RUN git clone https://x-access-token:ghp_R7kq2XbW9mZ4tLp8VnC3sD6fH1jY5uA0eQ2w@github.com/acme/private-lib.git /src
