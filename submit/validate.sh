#!/usr/bin/env bash
# Check a prepared dataset against its manifest (ValidateJob): data.path=<dataset> [validate.input=<raw files dir>]. --help lists the options.
exec "$(dirname "$0")/launch.sh" validate "$@"
