FROM python:3.12-slim
# The source name says nothing, the destination does.
# expect: CP503
COPY deploy/deploy-key /root/.ssh/id_ed25519
