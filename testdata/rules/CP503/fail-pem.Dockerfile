FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/nginx.conf
# expect: CP503
COPY certs/server.crt certs/server-key.pem /etc/nginx/certs/
