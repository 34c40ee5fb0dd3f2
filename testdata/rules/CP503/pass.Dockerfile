FROM alpine:3.20
RUN apk add --no-cache openssh-client git
COPY id_rsa.pub /home/app/.ssh/authorized_keys
COPY .env.example /app/.env.example
COPY known_hosts /root/.ssh/known_hosts
RUN --mount=type=ssh git clone git@github.com:acme/private-lib.git
