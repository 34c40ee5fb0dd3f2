FROM node:20-slim AS build
# expect: CP729
COPY package.json package-lock.json ./
WORKDIR /app
COPY . .

FROM nginx:1.27
# expect: CP729
COPY --from=build /app/dist html
# expect: CP729
ADD nginx.conf conf.d/default.conf
