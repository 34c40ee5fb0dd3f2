# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/devcontainers/base:bookworm
# expect: CP708
RUN <<EOF
set -e
sudo chown -R vscode:vscode /workspaces
EOF
