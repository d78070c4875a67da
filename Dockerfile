# syntax=docker/dockerfile:1
# Build: the SDK image restores and publishes the web project; run: the ASP.NET runtime image as the non-root `app` user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Central build settings and package versions first, with the project files of TenantPortal.Web and what it references,
# so that the restore layer is cached until a project or a version changes.
COPY Directory.Build.props Directory.Packages.props ./
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
# Plain HTTP on 8080: TLS is terminated at the load balancer or reverse proxy in front (see README, Scaling out;
# ForwardedHeaders:KnownProxies/KnownNetworks make the portal trust its X-Forwarded-Proto and X-Forwarded-For).
# Portal__PublicUrl is required at run time (the public address; http only on localhost, for a local try).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
# The SQLite file and the mail pickup folder of a single instance; unused with SQL Server.
VOLUME ["/app/App_Data"]
# The runtime image has no curl: the portal's own probe mode GETs the liveness endpoint and exits 0 or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "TenantPortal.Web.dll", "--health-probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "TenantPortal.Web.dll"]
