# syntax=docker/dockerfile:1
FROM python:3.12-slim
# expect: CP706
RUN <<EOF
set -e
python3 -m pip install poetry==1.8.3
EOF
