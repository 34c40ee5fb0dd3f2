FROM node:22-alpine AS base
WORKDIR /app
# expect: CP101
USER root

FROM base
COPY . .
CMD ["node", "server.js"]
