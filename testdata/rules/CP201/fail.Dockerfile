# expect: CP201
FROM python
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
