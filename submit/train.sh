#!/usr/bin/env bash
# Train a VAE by parameter averaging (TrainJob). --help lists the options.
exec "$(dirname "$0")/launch.sh" train "$@"
