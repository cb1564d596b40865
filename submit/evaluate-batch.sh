#!/usr/bin/env bash
# One scheduled evaluation batch: evaluates every checkpoint under RUNS_DIR not yet in RESULTS_DIR
# (evaluate.select / evaluate.max-checkpoints / evaluate.diagnostics control what and how much), then
# re-renders the leaderboard. Safe to start from any scheduler (cron, systemd timers, Airflow, Oozie):
# a re-run with nothing new adds nothing, and two batches at once share the work through claims.
#   submit/evaluate-batch.sh RUNS_DIR RESULTS_DIR [key=value ...]
# e.g. submit/evaluate-batch.sh s3a://team/vae/runs s3a://team/vae/results evaluate.max-checkpoints=4
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs="${1:?usage: evaluate-batch.sh RUNS_DIR RESULTS_DIR [key=value ...]}"
results="${2:?usage: evaluate-batch.sh RUNS_DIR RESULTS_DIR [key=value ...]}"
shift 2
"$here/launch.sh" evaluate --runs "$runs" results.dir="$results" "$@"
exec "$here/launch.sh" leaderboard results.dir="$results" leaderboard.runs="$runs"
