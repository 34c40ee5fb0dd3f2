FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/nginx.conf
# expect: CP101
USER root
CMD ["nginx", "-g", "daemon off;"]
