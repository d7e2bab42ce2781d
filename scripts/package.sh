#!/usr/bin/env bash
# scripts/package.sh [stage] [outdir]: the deployable artefacts of one stage, linted.
#   1. renders deploy/merge-template.yaml to JSON with the Stage parameter pinned to <stage>,
#      plus one HTTP API route per Chalice route, read from app.app.routes (scripts/http_api.py)
#   1b. python -m textbuild.precompile: chalicelib/text/precompiled/*.marshal, the data the
#       init phase loads instead of building (README "Cold start"), fresh for this zip
#   2. chalice package --stage <stage> --merge-template <rendered> <outdir>
#        -> <outdir>/sam.json + <outdir>/deployment.zip
#   3. checks the zip holds every runtime requirement, built for Lambda (x86_64, cp311), and
#      the precompiled artifacts
#   4. points the EndpointURL output at whichever front is on (ApiFront: http | rest), checks
#      each front's resources sit under its condition, then cfn-lint <outdir>/sam.json: errors AND warnings fail, except the rules in IGNORED
#   5. prints the zip size
# Network: chalice runs `pip download` (+ `pip wheel` for langdetect's sdist) against PyPI or
# whatever index pip is configured with, unless .chalice/deployments/ caches a zip for this
# exact requirements.txt + app.py + chalicelib/ (so: after any code change). Offline with no
# cache it fails loudly (NoSuchPackageError); no AWS credentials or AWS calls are needed.
set -euo pipefail

STAGE="${1:-dev}"
OUTDIR="${2:-build/package}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
cd "$ROOT"

# cfn-lint rules ignored, and why. Errors are never ignored; warnings fail too (cfn-lint is
# pinned, so a new warning only comes with a deliberate upgrade). Today none is ignored: both
# stages lint clean. Informational I3011 (log groups without DeletionPolicy) is off by default
# and answered anyway. Note that cfn-lint skips W3037 (IAM action names) on SAM templates:
# tests/test_package.py checks the actions against cfn-lint's own IAM data instead.
IGNORED=()   # e.g. (--ignore-checks W1234)  # reason

case "$STAGE" in
  dev|prod) ;;
  *) echo "package.sh: stage must be dev or prod (local is make run only), not '$STAGE'" >&2; exit 2 ;;
esac
mkdir -p "$OUTDIR"
OUTDIR="$(cd "$OUTDIR" && pwd)"
rm -f "$OUTDIR/sam.json" "$OUTDIR/sam.yaml" "$OUTDIR/deployment.zip"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
MERGE="$WORK/merge-template.json"

# 1. YAML (readable, commented) -> JSON, so chalice writes sam.json; the Stage parameter is
#    pinned so this package can only be deployed as the stage it was built for.
"$PY" - "$ROOT/deploy/merge-template.yaml" "$MERGE" "$STAGE" <<'PYEOF'
import json, sys
from chalice.package import YAMLTemplateSerializer  # chalice's own reader of !Ref/!Sub/!GetAtt
source, target, stage = sys.argv[1:]
with open(source, encoding="utf-8") as handle:
    template = YAMLTemplateSerializer().load_template(handle.read(), source)
template["Parameters"]["Stage"].update(Default=stage, AllowedValues=[stage])
with open(target, "w", encoding="utf-8") as handle:
    json.dump(template, handle, indent=2)
PYEOF

# chalice (and app.py, imported for its routes) needs a region to build its clients, never
# credentials: packaging calls no AWS API.
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-west-1}"

# 1b. Chalice generates REST APIs only (aws/chalice#1321): the HTTP API front gets one route
#     per Chalice route (method + path), generated here from the app, the stage's environment
#     applied (so `make run`'s local-only routes never reach a package).
"$PY" "$ROOT/scripts/http_api.py" routes "$MERGE" "$STAGE"

# 1c. The precompiled init-phase data, built by this interpreter (CPython 3.11, as Lambda's):
#     a stale or foreign artifact would only be ignored at load (slow path), never used.
"$PY" -m textbuild.precompile

# 2. chalice package: the functions, roles and REST API, merged with the template above.
start=$(date +%s)
"$VENV/bin/chalice" package --stage "$STAGE" --merge-template "$MERGE" "$OUTDIR" | tee "$WORK/chalice.log"
if grep -q "Could not install dependencies" "$WORK/chalice.log"; then
  # chalice only warns, and caches the incomplete zip: clear the cache so a retry rebuilds.
  rm -rf "$ROOT/.chalice/deployments"
  echo "package.sh: chalice could not build every dependency for Lambda (see above)" >&2
  exit 1
fi

# chalice caches one ~8 MB zip per (requirements.txt + app code) hash, so every code change
# adds one: drop the ones this run did not use (older than 10 minutes: a concurrent run's
# fresh zip stays).
find "$ROOT/.chalice/deployments" -maxdepth 1 -name '*.zip' -mmin +10 2>/dev/null |
  while read -r cached; do cmp -s "$cached" "$OUTDIR/deployment.zip" || rm -f "$cached"; done

# 3. A zip from chalice's cache (.chalice/deployments) is trusted only if it is complete.
"$PY" - "$OUTDIR/deployment.zip" "$ROOT/requirements.txt" <<'PYEOF'
import re, sys, zipfile
zip_path, requirements = sys.argv[1:]
names = zipfile.ZipFile(zip_path).namelist()
def norm(name):
    return re.sub(r"[-_.]+", "_", name).lower()
installed = {tuple(top[:-len(".dist-info")].split("-", 1))
             for top in {n.split("/")[0] for n in names} if top.endswith(".dist-info")}
installed = {(norm(name), version) for name, version in installed}
problems = []
for line in open(requirements, encoding="utf-8"):
    line = line.split("#")[0].strip()
    if line:
        name, _, version = line.partition("==")
        if (norm(name.split("[")[0]), version) not in installed:
            problems.append(f"missing {line}")
for artefact in ("langdetect", "lexicons", "weights", "profiles", "templates-en", "regex"):  # textbuild.precompile (1b)
    if f"chalicelib/text/precompiled/{artefact}.marshal" not in names:
        problems.append(f"missing chalicelib/text/precompiled/{artefact}.marshal")
for name in names:  # compiled extensions must be Linux x86_64 builds for CPython 3.11
    if name.endswith(".so") and not re.search(r"(cpython-311-x86_64-linux-gnu|abi3)\.so$", name):
        problems.append(f"not a Lambda build: {name}")
    if name.endswith((".dylib", ".pyd")):
        problems.append(f"not a Lambda build: {name}")
if problems:
    sys.exit("package.sh: deployment.zip is wrong (rm -rf .chalice/deployments, rerun):\n  "
             + "\n  ".join(problems))
PYEOF

# 4. EndpointURL names whichever front is on; each front's resources exist only under its
#    condition (a resource chalice adds for the REST API one day would otherwise deploy
#    beside the HTTP API). Then lint: errors fail.
"$PY" "$ROOT/scripts/http_api.py" finish "$OUTDIR/sam.json"
"$VENV/bin/cfn-lint" ${IGNORED[@]+"${IGNORED[@]}"} -- "$OUTDIR/sam.json"

# 5. Size: Lambda takes 50 MB zipped / 250 MB unzipped; tests/test_package.py keeps us < 15 MB.
"$PY" - "$OUTDIR/deployment.zip" "$(( $(date +%s) - start ))" <<'PYEOF'
import os, sys, zipfile
path, seconds = sys.argv[1], sys.argv[2]
unzipped = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
print(f"deployment.zip: {os.path.getsize(path) / 2**20:.1f} MiB zipped, "
      f"{unzipped / 2**20:.1f} MiB unzipped; packaged and linted in {seconds} s")
if unzipped > 250 * 2**20:
    sys.exit("package.sh: over Lambda's 250 MB unzipped limit")
PYEOF
echo "template: $OUTDIR/sam.json"
