# escape=`
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022
# expect: CP101
USER ContainerAdministrator
RUN icacls C:\inetpub\wwwroot /grant IIS_IUSRS:F
COPY site C:\inetpub\wwwroot
