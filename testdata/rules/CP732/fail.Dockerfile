FROM node:22-slim
WORKDIR /app
COPY package.json yarn.lock ./
# expect: CP732
RUN yarn install --frozen-lockfile --production
# expect: CP732
RUN yarn global add serve \
 && serve --version
