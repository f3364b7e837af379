# The z6 image for distributed runs (docs/kubernetes.md): Node and the CLI bundle, nothing else.
# esbuild bundles every dependency into dist/, so the image needs no node_modules.
#   docker build -t z6:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs --production

FROM node:20-bookworm-slim
# What `z6` needs at run time: the CLI, the OpenTelemetry bundle it loads for --otlp, the worker
# threads' bundle (--workers), and the renderer the HTML report inlines (test/engine/kubernetes.test.ts
# runs z6 from exactly these files).
COPY --from=build /src/dist/cli.js /src/dist/otlp.js /src/dist/worker.js /src/dist/renderer.js /src/dist/renderer.css /opt/z6/
RUN printf '#!/bin/sh\nexec node /opt/z6/cli.js "$@"\n' > /usr/local/bin/z6 && chmod +x /usr/local/bin/z6
USER node
WORKDIR /home/node
ENTRYPOINT ["z6"]
