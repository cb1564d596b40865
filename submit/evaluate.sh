#!/usr/bin/env bash
# IWAE-k and ELBO of a checkpoint (EvaluateJob). --help lists the options.
exec "$(dirname "$0")/launch.sh" evaluate "$@"
