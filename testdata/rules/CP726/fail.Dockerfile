FROM node:20-slim
WORKDIR /app
COPY --chown=node:node . .
# expect: CP726
USER node
CMD ["node", "server.js"]
