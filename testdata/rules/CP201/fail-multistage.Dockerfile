# Base images of builder stages are pulled too.
# expect: CP201
FROM --platform=$BUILDPLATFORM node AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

# expect: CP201
FROM localhost:5000/team/nginx
COPY --from=build /src/dist /usr/share/nginx/html
