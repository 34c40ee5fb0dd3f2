# escape=`
# Nano Server runs as ContainerUser unless told otherwise.
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY app.exe C:\app\app.exe
ENTRYPOINT ["C:\\app\\app.exe"]
