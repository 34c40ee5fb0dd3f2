FROM python:3.12-slim
COPY . /app
# expect: CP707
CMD ["python", "/app/serve.py"]
USER 10001
CMD ["python", "/app/worker.py"]
FROM alpine:3.20 AS three
# expect: CP707
CMD ["a"]
# expect: CP707
CMD ["b"]
CMD ["c"]
