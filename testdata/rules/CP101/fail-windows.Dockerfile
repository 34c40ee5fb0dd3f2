# escape=`
# expect: CP101
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Invoke-WebRequest -OutFile C:\app.zip https://example.com/app.zip
COPY app C:\app
ENTRYPOINT ["C:\\app\\app.exe"]
