#!/usr/bin/env bash
# Markdown/CSV leaderboard from the results table (LeaderboardJob). --help lists the options.
exec "$(dirname "$0")/launch.sh" leaderboard "$@"
