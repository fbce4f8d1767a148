# syntax=docker/dockerfile:1
#
# CustomerInfo 2.0 — one image for every role (web, Hangfire worker, schema migration Job).
# The role is chosen by configuration only (Hangfire__Server__Enabled, or the
# `resources setup` arguments for the migration), never by a different image.
#
#   docker build -t customerinfo .
#   docker run --rm -p 8080:8080 -e ConnectionStrings__Postgres=... customerinfo
#
# Checked offline by deploy/check.sh (hadolint is not obtainable here): non-root
# numeric USER, ENTRYPOINT runs CustomerInfo.Web.dll, EXPOSE 8080 = the manifests' ports.

ARG DOTNET_VERSION=10.0

# ---------------------------------------------------------------------------
# 1. restore-inputs: only the files that decide the NuGet restore (project files,
#    Directory.*.props/targets, global.json, NuGet.config), with their folders.
#    This stage re-runs on every source change, but its output only changes when one
#    of those files changes, so the `COPY --from` + `dotnet restore` layers below stay
#    cached for ordinary code changes. (Plain COPY of src/*/*.csproj would flatten the
#    folders; listing every project here would rot as projects are added.)
# ---------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS restore-inputs
WORKDIR /src
COPY . .
RUN mkdir /restore-inputs \
 && find . -type f \( -name '*.csproj' -o -name 'Directory.*.props' -o -name 'Directory.*.targets' \
        -o -name 'global.json' -o -iname 'nuget.config' \) -exec cp --parents {} /restore-inputs/ \;

# ---------------------------------------------------------------------------
# 2. build: restore (cached layer), then publish Release.
# ---------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src
COPY --from=restore-inputs /restore-inputs/ ./
RUN dotnet restore src/Web/CustomerInfo.Web.csproj
COPY . .
RUN dotnet publish src/Web/CustomerInfo.Web.csproj \
        --configuration Release \
        --no-restore \
        --output /app/publish \
        -p:UseAppHost=false

# ---------------------------------------------------------------------------
# 3. runtime: chiseled ASP.NET image — no shell, no package manager, no SDK,
#    and a non-root user `app` (UID/GID 1654) already defined. The "extra" flavour
#    adds ICU and time zone data: shoppers' names and emails are NFC-normalised
#    (string.Normalize does nothing without ICU) and stores keep their own time zone.
# ---------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled-extra AS runtime

LABEL org.opencontainers.image.title="CustomerInfo" \
      org.opencontainers.image.description="CustomerInfo 2.0 multi-tenant sign-up SaaS (web and Hangfire worker)"

ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1

WORKDIR /app
# Files stay owned by root: the app user can read and run them but not change them.
COPY --from=build /app/publish ./

# Numeric UID (the chiseled image's `app` user), so Kubernetes can verify runAsNonRoot.
USER 1654

EXPOSE 8080

# No HEALTHCHECK: the chiseled image has no shell, curl or wget to run one, and adding
# them would defeat its purpose. Health is probed from outside instead: Kubernetes
# startup/liveness/readiness probes on /health/live and /health/ready (deploy/k8s),
# and `curl http://localhost:8080/health/ready` by hand with docker compose.

ENTRYPOINT ["dotnet", "CustomerInfo.Web.dll"]
