FROM node:20-slim
WORKDIR /usr/src/app
RUN cd frontend && npm ci && npm run build
RUN (cd /tmp && tar -xzf tool.tgz) && rm /tmp/tool.tgz
RUN echo "cd /usr/src/app" >> /root/.bashrc
