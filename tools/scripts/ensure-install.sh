#!/usr/bin/env bash
# Installs the workspace's npm dependencies when they are missing, so that the
# README's commands work from a fresh clone. `npm ci` also generates the Prisma client
# (the root postinstall script).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (npm ci)…"
  npm ci --no-audit --no-fund
fi
if [ ! -f libs/event-store/src/generated/prisma/client.ts ]; then
  npm run --silent prisma:generate
fi
