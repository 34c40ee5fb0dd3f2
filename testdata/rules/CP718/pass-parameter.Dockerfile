# data.yaml accepts unpinned gem installs.
FROM ruby:3.3-slim
RUN gem install bundler && bundle config set --local deployment true
