ARG REGISTRY=registry.example.com
ARG PYTHON_TAG=3.12-slim
ARG BASE=${REGISTRY}/base/python:${PYTHON_TAG}
FROM --platform=$BUILDPLATFORM ${BASE} AS build
RUN pip install --no-cache-dir build

FROM ${REGISTRY}/base/runtime:${TARGETARCH:-amd64} AS runtime-base

FROM runtime-base
COPY --from=build /src/dist /app
