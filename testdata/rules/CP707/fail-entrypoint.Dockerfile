FROM alpine:3.20
RUN apk add --no-cache tini
# expect: CP707
ENTRYPOINT ["/sbin/tini", "--"]
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["app"]
