# Shared by the bench/ab-*.sh scripts (source it): the median of numbers on stdin, and the figures of one
# `/usr/bin/time -v -o FILE` report.
# shellcheck shell=bash

# The median of the numbers on stdin, one per line (the mean of the middle two for an even count).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_v_figures FILE: "CPU_SECONDS WALL_SECONDS PEAK_MIB SYSTEM_SECONDS" (CPU = user + system) of a GNU time -v report.
time_v_figures() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
              /User time|System time/ { c += $2 } /System time/ { k = $2 } /Maximum resident/ { r = $2 }
              END { printf "%.3f %.3f %.0f %.3f\n", c, w, r / 1024, k }' "$1"
}
