FROM nginx:1.27-alpine
COPY site/ /usr/share/nginx/html/
USER nginx
HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
  CMD wget -qO- http://127.0.0.1:8080/ || exit 1
