#!/usr/bin/env bash
# Plan each given stack into a saved plan, and print the stacks whose plan has changes.
#
#   .github/scripts/plan-stacks.sh OUTDIR STACK...
#
# In OUTDIR/stacks/<stack>/: `terraform init`, `terraform plan -detailed-exitcode -out=tfplan` (exit 2: changes),
# then plan.txt, plan.json and plan.md (.github/scripts/plan-summary.sh); plan.md is also appended to
# $GITHUB_STEP_SUMMARY when that is set. Terraform's own output goes to stderr; stdout holds only the names of the
# stacks whose saved plan has changes, one per line: CI applies those and nothing else, so a stack whose plan is
# a no-op never waits for an approval. A failed plan does not stop the others; the script then exits 1.
set -euo pipefail

outdir="$1"
shift
scripts="$(cd "$(dirname "$0")" && pwd)"
failed=()

for stack in "$@"; do
  dir="$outdir/stacks/$stack"
  status=0
  if [ ! -f "$dir/cdk.tf.json" ]; then
    echo "plan-stacks: $dir/cdk.tf.json: missing (synthesize first)" >&2
    status=1
  elif terraform -chdir="$dir" init -input=false >&2; then
    terraform -chdir="$dir" plan -input=false -lock-timeout=5m -detailed-exitcode -out=tfplan >&2 || status=$?
  else
    status=1
  fi
  case "$status" in
    0) ;;
    2) echo "$stack" ;;
    *) echo "plan-stacks: $stack: terraform init or plan failed (exit $status)" >&2
       failed+=("$stack")
       continue ;;
  esac
  terraform -chdir="$dir" show -no-color tfplan > "$dir/plan.txt"
  terraform -chdir="$dir" show -json tfplan > "$dir/plan.json"
  "$scripts/plan-summary.sh" "$stack" "$dir/plan.json" "$dir/plan.txt" > "$dir/plan.md"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$dir/plan.md" >> "$GITHUB_STEP_SUMMARY"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "plan-stacks: ${#failed[@]} of $# plans failed: ${failed[*]}" >&2
  exit 1
fi
