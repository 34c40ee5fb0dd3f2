FROM python:3.12 AS build
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt

FROM python:3.12-slim
COPY --from=build /venv /venv
