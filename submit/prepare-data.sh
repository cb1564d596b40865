#!/usr/bin/env bash
# Raw dataset files to Parquet (PrepareJob). --help lists the options.
exec "$(dirname "$0")/launch.sh" prepare "$@"
