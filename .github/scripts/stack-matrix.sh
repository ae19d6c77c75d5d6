#!/usr/bin/env bash
# Print the GitHub Actions matrix of the synthesized stacks: {"include":[{stack, environment, account_id, region}]}.
#
#   .github/scripts/stack-matrix.sh [OUTDIR [ENV_FILE...]]      (defaults: cdktf.out, envs/*.json)
#
# The stack names come from `python -m constructs_lib list` (the same env files as `make synth`); the account,
# region and environment of each come from its synthesized cdk.tf.json (the AWS provider's allowed account, region
# and default tags). A listed stack without a synthesized cdk.tf.json is an error: synth and list disagree.
set -euo pipefail

outdir="${1:-cdktf.out}"
shift || true
if [ "$#" -eq 0 ]; then
  shopt -s nullglob
  for file in envs/*.json; do
    case "$file" in *.schema.json) ;; *) set -- "$@" "$file" ;; esac
  done
fi
python="${PYTHON:-.venv/bin/python}"

entries=()
while IFS=$'\t' read -r stack _state; do
  [ -n "$stack" ] || continue
  case "$stack" in bootstrap-*) continue ;; esac  # the state bucket: applied once by hand (`bootstrap`), not by CI
  document="$outdir/stacks/$stack/cdk.tf.json"
  if [ ! -f "$document" ]; then
    echo "stack-matrix: $stack is listed but $document was not synthesized (run make synth)" >&2
    exit 1
  fi
  entries+=("$(jq -c --arg stack "$stack" '.provider.aws[0] as $aws | {
      stack: $stack,
      environment: $aws.default_tags[0].tags.environment,
      account_id: $aws.allowed_account_ids[0],
      region: $aws.region
    }' "$document")")
done < <("$python" -m constructs_lib list "$@")

if [ "${#entries[@]}" -eq 0 ]; then
  echo '{"include":[]}'
else
  printf '%s\n' "${entries[@]}" | jq -s -c '{include: .}'
fi
