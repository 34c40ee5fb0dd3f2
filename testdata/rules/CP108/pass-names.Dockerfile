# User names and variables are not judged.
FROM node:22-alpine AS base
ARG APP_UID=1000
USER ${APP_UID}

FROM base
USER node
CMD ["node", "server.js"]
