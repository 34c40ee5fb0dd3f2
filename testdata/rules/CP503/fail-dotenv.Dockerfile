FROM node:22-alpine
WORKDIR /app
COPY package.json package-lock.json ./
# expect: CP503
COPY .npmrc ./
RUN npm ci
# expect: CP503
COPY .env ./
COPY . .
