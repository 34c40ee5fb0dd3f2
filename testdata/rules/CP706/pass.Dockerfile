FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
RUN PIP_NO_CACHE_DIR=1 pip3 install gunicorn
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements-dev.txt
RUN --mount=type=cache,target=/root/.cache python -m pip install uvicorn
RUN uv pip install --system httpx
