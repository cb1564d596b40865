#!/usr/bin/env bash
# Reproduces a published MNIST row (conf/experiments/reproduce/<row>.conf) with one command:
#   submit/reproduce.sh --list                 every row: published value, source, data, caveat
#   submit/reproduce.sh <row> [key=value ...]  prepare the data if missing -> train with the row's protocol (resuming
#                                              from the last checkpoint when the run exists) -> IWAE-5000 on all 10,000
#                                              test images -> the row: published, ours +- s.e., Delta
#   submit/reproduce.sh --all [key=value ...]  every row in turn
#   submit/reproduce.sh --scaling <row> [k=v]  the row with 2, 8 and 32 replicas x averaging every 1 and 10 steps,
#                                              100 epochs each, into $REPRO_DIR/scaling/<row>/p<N>-f<F>
#   submit/reproduce.sh --supersede <row> <label> <reason...>
#                                              move the row's run to $REPRO_DIR/archive/<row>/<label> with the reason,
#                                              before the row's configuration changes; the results page lists it
#   submit/reproduce.sh --report               the reproduced-vs-reported page from the runs: docs/results.md and .csv,
#                                              and the README's results section (ResultsPageJob)
# Overrides go to both training and evaluation (e.g. train.epochs=1 eval.k=10 for a smoke run; an override of the
# protocol makes the row a shortened one, so the printed row says so).
# Runs live outside the work tree: ${REPRO_DIR:-$HOME/vae-repro}/<row>/{run,results}; data in $REPRO_DIR/data/.
# Raw data come from ${SHARED_DATA:-<project>/../shared/data}. The jobs are launched through submit/train.sh,
# submit/evaluate.sh and submit/prepare-data.sh (jar and classes: submit/launch.properties).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
rows_dir="$root/conf/experiments/reproduce"
repro="${REPRO_DIR:-$HOME/vae-repro}"
shared="${SHARED_DATA:-$root/../shared/data}"

# reproduce.<key> of a row's file, following its includes in order (the last definition wins, as in HOCON).
# LaunchCatalogTest checks that this agrees with the configuration loader for every row.
conf_value() {
  local file="$1" key="$2" dir line value="" inc
  dir="$(dirname "$file")"
  local in_block=0
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ ^include\ \"([^\"]+)\" ]]; then
      inc="$(conf_value "$dir/${BASH_REMATCH[1]}" "$key")"
      [ -n "$inc" ] && value="$inc"
    elif [[ $line =~ ^reproduce[[:space:]]*\{ ]]; then
      in_block=1
    elif [ "$in_block" = 1 ] && [[ $line =~ ^\} ]]; then
      in_block=0
    elif [ "$in_block" = 1 ] && [[ $line =~ ^[[:space:]]*$key[[:space:]]*=[[:space:]]*(.*)$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
  done < "$file"
  value="${value%\"}"
  echo "${value#\"}"
}

rows() { for f in "$rows_dir"/*.conf; do basename "$f" .conf; done; }

list() {
  printf '%-22s %-8s %-34s %-16s %s\n' row nats source dataset title
  for row in $(rows); do
    local f="$rows_dir/$row.conf"
    printf '%-22s %-8s %-34s %-16s %s\n' "$row" "$(conf_value "$f" published-nll)" "$(conf_value "$f" source)" \
      "$(conf_value "$f" dataset)" "$(conf_value "$f" title)"
    local caveat; caveat="$(conf_value "$f" caveat)"
    [ -z "$caveat" ] || [ "$caveat" = null ] || printf '%-22s   differs: %s\n' "" "$caveat"
  done
}

prepare() {
  local dataset="$1" out="$repro/data/$1"
  # _manifest.json since the rename; datasets prepared before carry manifest.json (they still load, with a warning)
  { [ -f "$out/_manifest.json" ] || [ -f "$out/manifest.json" ]; } && return 0
  echo "preparing $dataset into $out" >&2
  case "$dataset" in
    binarized-mnist) "$here/prepare-data.sh" prepare.source=binarized-mnist "prepare.input=$shared/binarized_mnist" "prepare.output=$out" ;;
    # all 60,000 training images (Burda et al. 2016, Kingma et al. 2016 train on them; no validation split)
    mnist-60k) "$here/prepare-data.sh" prepare.source=mnist "prepare.input=$shared/mnist" "prepare.output=$out" prepare.validation-size=0 ;;
    *) echo "error: unknown reproduce.dataset '$dataset' (known: binarized-mnist, mnist-60k)" >&2; exit 2 ;;
  esac
}

reproduce() {
  local row="$1"; shift
  reproduce_into "$row" "$repro/$row" "$@"
}

# What scaling out costs in quality: the row trained with 2, 8 and 32 replicas (train.partitions), averaging every 1 and
# every 10 local steps, for 100 epochs without early stopping (every run sees the same examples), otherwise with the
# row's protocol, each evaluated like the row; runs in $repro/scaling/<row>/p<replicas>-f<frequency>. A barrier stage
# needs a slot per replica, so local[<replicas>] oversubscribes the cores (it measures statistics, not speed).
scaling() {
  local row="$1"; shift
  for p in 2 8 32; do
    for freq in 1 10; do
      reproduce_into "$row" "$repro/scaling/$row/p$p-f$freq" train.partitions=$p train.averaging-frequency=$freq \
        train.epochs=100 train.early-stopping.patience-epochs=null "spark.master=local[$p]" "$@"
    done
  done
}

reproduce_into() {
  local row="$1" dir="$2"; shift 2
  local f="$rows_dir/$row.conf"
  [ -f "$f" ] || { echo "error: no row '$row' (submit/reproduce.sh --list shows them)" >&2; exit 2; }
  local dataset published source title
  dataset="$(conf_value "$f" dataset)"; published="$(conf_value "$f" published-nll)"
  source="$(conf_value "$f" source)"; title="$(conf_value "$f" title)"
  prepare "$dataset"
  local data="$repro/data/$dataset" run="$dir/run" results="$dir/results"
  mkdir -p "$dir"
  local resume=false
  if compgen -G "$run/checkpoints/round-*" >/dev/null; then resume=true; echo "continuing $row from $run" >&2; fi
  "$here/train.sh" --conf "$f" "data.path=$data" "run.dir=$run" "run.resume=$resume" "$@"
  local checkpoint=()
  # early stopping keeps the best checkpoint by validation ELBO; otherwise the latest is evaluated
  [ -f "$run/best-checkpoint" ] && checkpoint=("evaluate.checkpoint=$(cat "$run/best-checkpoint")")
  local out; out="$(mktemp)"
  "$here/evaluate.sh" --conf "$f" "data.path=$data" "run.dir=$run" "results.dir=$results" eval.max-examples=null \
    ${checkpoint[@]+"${checkpoint[@]}"} "$@" | tee "$out"
  local line; line="$(grep -E ' IWAE-[0-9]+ on .*nats' "$out" | tail -1)"; rm -f "$out"
  [ -n "$line" ] || { echo "error: the evaluation printed no IWAE row" >&2; exit 1; }
  # the job prints log p(x) (negative); the table is in NLL = -log p(x)
  local logp ours se n k
  logp="$(sed -E 's/.*: (-?[0-9.]+) ± ([0-9.]+) nats.*/\1/' <<<"$line")"
  ours="$(awk -v a="$logp" 'BEGIN { printf "%.2f", -a }')"
  se="$(sed -E 's/.*: (-?[0-9.]+) ± ([0-9.]+) nats.*/\2/' <<<"$line")"
  n="$(sed -E 's/.*\(n=([0-9]+), k=([0-9]+)\).*/\1/' <<<"$line")"
  k="$(sed -E 's/.*\(n=([0-9]+), k=([0-9]+)\).*/\2/' <<<"$line")"
  local note=""
  { [ "$n" != 10000 ] || [ "$k" != 5000 ] ; } && note=" (NOT the protocol: n=$n, k=$k)"
  [ $# -gt 0 ] && note="$note (overrides: $*)"
  printf '\n%-22s | %-32s | published %s (%s) | ours %s ± %s | Δ %+.2f nats%s\n' "$row" "$title" "$published" "$source" \
    "$ours" "$(awk -v s="$se" 'BEGIN { printf "%.2f", s }')" "$(awk -v a="$ours" -v b="$published" 'BEGIN { print a - b }')" "$note"
}

# Keeps a run whose configuration is about to change: every run stays listed on the results page (EarlierRuns).
supersede() {
  [ $# -ge 3 ] || { echo "error: usage: submit/reproduce.sh --supersede <row> <label> <reason...>" >&2; exit 2; }
  local row="$1" label="$2"; shift 2
  [ -d "$repro/$row" ] || { echo "error: no run of $row in $repro/$row to supersede" >&2; exit 1; }
  [[ $label =~ ^[A-Za-z0-9._-]+$ ]] || { echo "error: label '$label': use letters, digits, '.', '_' or '-'" >&2; exit 2; }
  local dest="$repro/archive/$row/$label"
  [ -e "$dest" ] && { echo "error: $dest exists already: choose another label" >&2; exit 1; }
  mkdir -p "$repro/archive/$row"
  printf '%s\n' "$*" > "$repro/$row/superseded.txt"
  mv "$repro/$row" "$dest"
  [ -f "$repro/$row.log" ] && mv "$repro/$row.log" "$dest/run.log"
  echo "moved $repro/$row to $dest; submit/reproduce.sh $row now starts a new run"
}

case "${1:-}" in
  ""|-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  --list) list ;;
  --all) shift; for row in $(rows); do reproduce "$row" "$@"; done ;;
  --scaling) shift; scaling "$@" ;;
  --supersede) shift; supersede "$@" ;;
  --report) shift; cd "$root" && exec "$here/launch.sh" results spark.master='local[2]' "results-page.repro-dir=$repro" "$@" ;;
  *) reproduce "$@" ;;
esac
