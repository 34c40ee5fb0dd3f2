FROM python:3.12 AS build
ENV PIP_NO_CACHE_DIR=1
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim
COPY --from=build /wheels /wheels
# expect: CP706
RUN pip install /wheels/*
