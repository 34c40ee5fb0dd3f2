FROM alpine:3.20
WORKDIR /src
RUN make "$TARGETS" && echo "$HOME"
RUN ["sh", "-c", "echo $x"]
