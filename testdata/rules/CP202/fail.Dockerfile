# expect: CP202
FROM node:latest
WORKDIR /app
COPY . .
CMD ["node", "index.js"]
