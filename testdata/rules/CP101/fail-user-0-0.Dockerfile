FROM debian:bookworm-slim
# expect: CP101
USER 0:0
CMD ["bash"]
