FROM nginx:1.27 AS base
HEALTHCHECK CMD curl -f http://localhost/ || exit 1

FROM base
HEALTHCHECK --interval=10s CMD curl -f http://localhost/healthz || exit 1
