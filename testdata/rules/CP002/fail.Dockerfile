# policy:ignore CP10l -- vendor image  # expect: CP002
FROM alpine:3.20
USER 10001
