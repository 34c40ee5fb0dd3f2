FROM node:20-slim AS build
USER node

FROM node:20-slim
WORKDIR /app
COPY --chown=1000:1000 . .
USER 1000:1000
CMD ["node", "server.js"]
