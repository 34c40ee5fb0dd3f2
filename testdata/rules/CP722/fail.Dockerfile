FROM debian:12-slim
# expect: CP722
MAINTAINER Jane Doe <jane@example.com>
