ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM nginx:latest@sha256:2d194184b067db3598771b4cf326cfe6ad5051937ba1132b8b7d4b0184e0d0a6
COPY --from=build /src/dist /usr/share/nginx/html
