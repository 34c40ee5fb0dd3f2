FROM alpine:3.20
# expect: CP728
RUN cd /src; make $TARGETS
RUN apk add --no-cache curl \
    # a comment line inside the continuation
# expect: CP728
    && echo $HOME
RUN <<EOF
set -e
# expect: CP728
ls $DIR
EOF
SHELL ["pwsh", "-c"]
RUN Write-Host $env:PATH
