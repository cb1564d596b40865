#!/usr/bin/env bash
# IWAE-k, ELBO terms and bits/dim of one checkpoint (EvaluateJob), or of every new checkpoint with --runs DIR.
# --help lists the options; submit/evaluate-batch.sh is the scheduled form.
exec "$(dirname "$0")/launch.sh" evaluate "$@"
