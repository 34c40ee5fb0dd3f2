FROM python:3.12-slim
ENV APP_ENV=production \
    APP_PORT=8000 \
# expect: CP501
    DJANGO_SECRET_KEY="k2#x9!q7d@v1z8b3n5m6"
