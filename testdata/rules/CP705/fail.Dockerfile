FROM node:22-alpine
# expect: CP705
WORKDIR app
COPY . .
# expect: CP705
WORKDIR ./dist
