#!/usr/bin/env bash
# Renders every Kubernetes overlay and validates it offline (the gatekey-k8s module's tests:
# Kubernetes API model, security settings, probes against the services, configuration,
# network policies). Also part of ./mvnw verify; this runs it alone. Needs kubectl (its
# built-in kustomize) on the PATH: the java-maven machine image has it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is required to render deploy/k8s" >&2; exit 1; }
for overlay in deploy/k8s/overlays/*/; do
  kubectl kustomize "$overlay" >/dev/null
  echo "rendered $overlay"
done
CI="${CI:-true}" ./mvnw -B -pl deploy/k8s verify
