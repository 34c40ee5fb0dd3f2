FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
# expect: CP706
RUN pip install -r requirements.txt
# expect: CP706
RUN python -m pip install --upgrade pip \
 && pip3 install gunicorn==23.0.0
