# syntax=docker/dockerfile:1
# Build: SDK image restores and publishes the web project; run: the ASP.NET runtime image as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props TenantPortal.sln ./
COPY TenantPortal.Core/TenantPortal.Core.csproj TenantPortal.Core/
COPY TenantPortal.Data/TenantPortal.Data.csproj TenantPortal.Data/
COPY TenantPortal.Web/TenantPortal.Web.csproj TenantPortal.Web/
RUN dotnet restore TenantPortal.Web/TenantPortal.Web.csproj
COPY TenantPortal.Core/ TenantPortal.Core/
COPY TenantPortal.Data/ TenantPortal.Data/
COPY TenantPortal.Web/ TenantPortal.Web/
RUN dotnet publish TenantPortal.Web/TenantPortal.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/App_Data && chown -R app:app /app/App_Data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
VOLUME ["/app/App_Data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "TenantPortal.Web.dll", "--health-probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "TenantPortal.Web.dll"]
