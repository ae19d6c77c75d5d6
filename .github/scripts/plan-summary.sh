#!/usr/bin/env bash
# Markdown summary of one stack's saved plan, for $GITHUB_STEP_SUMMARY and the pull request comment.
#
#   .github/scripts/plan-summary.sh STACK PLAN_JSON PLAN_TEXT
#
# PLAN_JSON is `terraform show -json tfplan`, PLAN_TEXT is `terraform show -no-color tfplan`. The first line is a
# marker the comment step uses to find and update its own comment. The plan text is cut to stay well below
# GitHub's 65,536-character limit of a comment.
set -euo pipefail

stack="$1" plan_json="$2" plan_text="$3"
max_chars="${PLAN_SUMMARY_MAX_CHARS:-60000}"

read -r add change destroy replace <<<"$(jq -r '
  [.resource_changes[]?.change.actions] as $all
  | ($all | map(select(. == ["delete","create"] or . == ["create","delete"])) | length) as $replace
  | [ ($all | map(select(. == ["create"])) | length) + $replace,
      ($all | map(select(. == ["update"])) | length),
      ($all | map(select(. == ["delete"])) | length) + $replace,
      $replace ] | @tsv' "$plan_json")"

if [ "$add" -eq 0 ] && [ "$change" -eq 0 ] && [ "$destroy" -eq 0 ]; then
  headline="No changes."
else
  headline="Plan: $add to add, $change to change, $destroy to destroy."
  [ "$replace" -eq 0 ] || headline="$headline ($replace replaced)"
fi

chars=$(wc -c <"$plan_text")
echo "<!-- ecs-cdktf plan: $stack -->"
echo "### \`$stack\`: $headline"
echo
echo "<details><summary>terraform plan</summary>"
echo
echo '```'
head -c "$max_chars" "$plan_text"
if [ "$chars" -gt "$max_chars" ]; then
  echo
  echo "... cut at $max_chars of $chars characters: the whole plan is in the artifact plan-$stack"
fi
echo '```'
echo
echo "</details>"
