FROM node:20-slim
# expect: CP713
RUN mkdir -p /usr/src/app && cd /usr/src/app
RUN npm ci
# expect: CP713
RUN cd /usr/src/app
