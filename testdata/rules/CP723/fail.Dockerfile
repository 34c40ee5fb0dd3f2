FROM nginx:1.27
# expect: CP723
HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
COPY nginx.conf /etc/nginx/nginx.conf
HEALTHCHECK --interval=10s CMD curl -f http://localhost/healthz || exit 1
