ARG REGISTRY=registry.example.com
ARG PYTHON_TAG
ARG WINDOWS_VERSION=
# expect: CP205
FROM ${REGISTRY}/base/python:${PYTHON_TAG} AS build
RUN pip install --no-cache-dir build

# expect: CP205
FROM $RUNTIME_IMAGE
COPY --from=build /src/dist /app

# An empty default leaves `servercore:`, which no build accepts.
# expect: CP205
FROM mcr.microsoft.com/windows/servercore:${WINDOWS_VERSION}
