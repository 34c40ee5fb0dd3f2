# policy:ignore run-as-root -- vendor image
FROM alpine:3.20
