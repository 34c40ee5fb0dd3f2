# ADD does not unpack zip files: this is a plain copy.
FROM eclipse-temurin:21-jre
# expect: CP703
ADD build/distributions/app.zip /opt/
# expect: CP703
ADD ["config/application.yml", "/opt/app/config/"]
