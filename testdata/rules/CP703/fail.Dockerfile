FROM python:3.12-slim
WORKDIR /app
# expect: CP703
ADD requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# expect: CP703
ADD --chown=10001:10001 . /app
