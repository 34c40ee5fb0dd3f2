FROM debian:12
RUN apt-get update
# expect: CP731
RUN apt-get install -y --no-install-recommends curl
# a comment does not separate them
# expect: CP731
RUN useradd -r app
