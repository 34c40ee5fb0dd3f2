FROM node:22-alpine
ARG APP_HOME=/srv/app
WORKDIR /app
WORKDIR "/app/dist"
WORKDIR $HOME/app
WORKDIR ${APP_HOME}
