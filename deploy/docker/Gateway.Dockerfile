# syntax=docker/dockerfile:1
# The Gateway image. Build from the repository root:
#   docker build -f deploy/docker/Gateway.Dockerfile -t botstatecluster/gateway .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore as its own layer: it changes only when a project file or the package versions do.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Grains.Interfaces/Grains.Interfaces.csproj Grains.Interfaces/
COPY clients/dotnet/BotStateCluster.Client/BotStateCluster.Client.csproj clients/dotnet/BotStateCluster.Client/
COPY ServiceDefaults/ServiceDefaults.csproj ServiceDefaults/
COPY Api/Api.csproj Api/
COPY Gateway/Gateway.csproj Gateway/
RUN dotnet restore Gateway/Gateway.csproj
COPY Grains.Interfaces/ Grains.Interfaces/
COPY clients/dotnet/ clients/dotnet/
COPY ServiceDefaults/ ServiceDefaults/
COPY Api/ Api/
COPY Gateway/ Gateway/
RUN dotnet publish Gateway/Gateway.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the container health check; the image has no other HTTP client.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Listen on every interface inside the container; the port is published or fronted by a Service.
ENV ASPNETCORE_URLS=http://+:8080 \
    LOG_FORMAT=json
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["curl", "-fsS", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["dotnet", "BotStateCluster.Gateway.dll"]
