FROM amazon/aws-cli:2.17.0
# expect: CP502
ENV AWS_ACCESS_KEY_ID=AKIAQ3EGRTXW7KJ5LM2P
RUN aws s3 cp s3://acme-artifacts/app.tar.gz /tmp/
