FROM python:3.12-slim AS base
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"

FROM base
COPY . /app
USER 10001
CMD ["python", "/app/main.py"]
