# The final stage inherits the USER of the stage it builds on.
FROM node:22-alpine AS base
WORKDIR /app
# expect: CP108
USER 1000

FROM base
COPY --chown=1000:1000 . .
CMD ["node", "server.js"]
