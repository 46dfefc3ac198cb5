#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end test of the citsim command line, as a user runs it: exit codes, messages on bad
# input, the files a run writes (or does not write) and their reproducibility.
#
#   tests/e2e/cli_test.sh <path-to-citsim-binary> <source-dir>
#
# Everything is written into a fresh scratch folder (removed on exit); the source tree is only
# read. Prints one line per check ("ok - name" / "not ok - name: reason"), then "N passed,
# M failed", and exits 1 if any check failed (2 if it could not start at all).
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 <path-to-citsim-binary> <source-dir>" >&2
  exit 2
fi

abspath() {  # absolute form of a path that exists
  if [ -d "$1" ]; then (cd "$1" && pwd); else
    (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); fi
}

citsim=$(abspath "$1") || { echo "cli_test: cannot find the binary '$1'" >&2; exit 2; }
src=$(abspath "$2") || { echo "cli_test: cannot find the source folder '$2'" >&2; exit 2; }
[ -x "$citsim" ] || { echo "cli_test: '$citsim' is not an executable" >&2; exit 2; }
[ -f "$src/examples/default.toml" ] || {
  echo "cli_test: '$src' has no examples/default.toml" >&2; exit 2; }
command -v python3 >/dev/null || { echo "cli_test: python3 is required" >&2; exit 2; }

# The binary must find data/ by itself, as it does when a user runs it.
unset CITSIM_DATA_DIR

tmp=$(mktemp -d "${TMPDIR:-/tmp}/citsim-e2e.XXXXXX") || { echo "cli_test: mktemp failed" >&2; exit 2; }
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
touch "$tmp/.started"

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }
check() {  # check NAME REASON-IF-FAILED COMMAND...
  local name=$1 reason=$2
  shift 2
  if "$@"; then ok "$name"; else not_ok "$name" "$reason"; fi
}
# The first 200 characters of a file on one line, for failure reasons.
excerpt() { head -c 200 "$1" 2>/dev/null | tr '\n' ' '; }

if command -v timeout >/dev/null; then limit=(timeout 120); else limit=(); fi
status=0
# run_citsim NAME ARGS...: runs citsim in the scratch folder; stdout goes to $tmp/NAME.out,
# stderr to $tmp/NAME.err and the exit status to $status.
run_citsim() {
  local name=$1
  shift
  ${limit[@]+"${limit[@]}"} "$citsim" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  status=$?
}

# ---------------------------------------------------------------------------------------------
# A good run of the bundled example.
# ---------------------------------------------------------------------------------------------
default_toml="$src/examples/default.toml"
run_citsim good run "$default_toml" -o "$tmp/good"
check "run default.toml exits 0" "exit status $status; stderr: $(excerpt "$tmp/good.err")" \
  test "$status" -eq 0

missing_files=""
for f in result.json timeline.csv config.toml report.html; do
  [ -s "$tmp/good/$f" ] || missing_files="$missing_files $f"
done
check "run writes result.json, timeline.csv, config.toml and report.html" \
  "missing or empty:$missing_files" test -z "$missing_files"

# report.html is self-contained: the result is embedded, no script or style is fetched.
report_problems=""
grep -q '<script id="citsim-data" type="application/json">{' "$tmp/good/report.html" ||
  report_problems="$report_problems no embedded result;"
grep -q '__CITSIM_REPORT_DATA__' "$tmp/good/report.html" &&
  report_problems="$report_problems placeholder left;"
grep -q -i -E '<(script|link|img)[^>]* (src|href)=' "$tmp/good/report.html" &&
  report_problems="$report_problems external resource;"
check "report.html embeds the result and loads nothing from outside" "$report_problems" \
  test -z "$report_problems"

# Without the report template the run fails before writing anything, and says how to fix it.
CITSIM_REPORT_TEMPLATE="$tmp/no_such_template.html" run_citsim no_template \
  run "$default_toml" -o "$tmp/no_template"
check "missing report template: exit 2, message names it, nothing written" \
  "exit status $status; stderr: $(excerpt "$tmp/no_template.err")" \
  test "$status" -eq 2 -a ! -e "$tmp/no_template/report.html" -a \
  ! -e "$tmp/no_template/result.json" -a -n "$(grep -F 'no_such_template.html' "$tmp/no_template.err")"

if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/good/result.json" \
  2>"$tmp/json.err"; then
  ok "result.json parses as JSON"
else
  not_ok "result.json parses as JSON" "$(excerpt "$tmp/json.err")"
fi

key_report=$(python3 - "$tmp/good/result.json" 2>&1 <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception as error:  # reported by the check above too
    print(f"unreadable: {error}")
    sys.exit(0)
missing = [k for k in ("citsim_version", "scenario", "areas") if k not in doc]
try:
    session = doc["areas"][0]["sessions"][0]
    missing += ["areas[0].sessions[0]." + k
                for k in ("punctures_per_cm2", "mean_depth_um", "max_depth_um", "bleeding",
                          "channel_half_life_h") if k not in session]
except (KeyError, IndexError, TypeError) as error:
    missing.append(f"areas[0].sessions[0] ({type(error).__name__}: {error})")
if missing:
    print("missing " + ", ".join(missing))
EOF
)
check "result.json has citsim_version, scenario, areas and the session fields" "$key_report" \
  test -z "$key_report"

if head -n 1 "$tmp/good/timeline.csv" 2>/dev/null | grep -q '^area,region,session,' &&
  [ "$(wc -l <"$tmp/good/timeline.csv")" -gt 1 ]; then
  ok "timeline.csv has its header and rows"
else
  not_ok "timeline.csv has its header and rows" "starts: $(excerpt "$tmp/good/timeline.csv")"
fi

# config.toml is the scenario with every default filled: running it must give the same results.
run_citsim roundtrip run "$tmp/good/config.toml" -o "$tmp/roundtrip"
if [ "$status" -ne 0 ]; then
  not_ok "config.toml runs again with the same results" \
    "exit status $status; stderr: $(excerpt "$tmp/roundtrip.err")"
elif ! cmp -s "$tmp/good/timeline.csv" "$tmp/roundtrip/timeline.csv"; then
  not_ok "config.toml runs again with the same results" "timeline.csv differs"
elif ! python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if (a["scenario"], a["areas"]) == (b["scenario"], b["areas"]) else 1)' \
  "$tmp/good/result.json" "$tmp/roundtrip/result.json" 2>/dev/null; then
  not_ok "config.toml runs again with the same results" "result.json scenario or areas differ"
else
  ok "config.toml runs again with the same results"
fi

# ---------------------------------------------------------------------------------------------
# Reproducibility: same scenario and seed give the same bytes; another seed gives other results.
# ---------------------------------------------------------------------------------------------
run_citsim again run "$default_toml" -o "$tmp/again"
if [ "$status" -ne 0 ]; then
  not_ok "second run exits 0" "exit status $status; stderr: $(excerpt "$tmp/again.err")"
else
  ok "second run exits 0"
fi
# differing_keys A B: the top-level keys whose values differ between two JSON files.
differing_keys() {
  python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print(", ".join(k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)))' "$1" "$2" 2>/dev/null
}
for f in result.json timeline.csv report.html; do
  reason=$(cmp "$tmp/good/$f" "$tmp/again/$f" 2>&1 | head -n 1 | sed "s|$tmp/||g")
  [ "$f" = result.json ] && reason="$reason; differing keys: $(differing_keys \
    "$tmp/good/$f" "$tmp/again/$f")"
  check "same scenario into another folder: byte-identical $f" "$reason" \
    cmp -s "$tmp/good/$f" "$tmp/again/$f"
done
# The simulated content alone (everything but the recorded command line), to tell a
# non-deterministic simulation apart from provenance that names the output folder.
if python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for doc in (a, b):
    doc.pop("command_line", None)
sys.exit(0 if a == b else 1)' "$tmp/good/result.json" "$tmp/again/result.json" 2>/dev/null; then
  ok "same scenario: result.json identical apart from command_line"
else
  not_ok "same scenario: result.json identical apart from command_line" \
    "the simulated content differs between two runs of the same scenario"
fi

sed 's/^\([[:space:]]*seed[[:space:]]*=[[:space:]]*\)[0-9][0-9]*/\1987654321/' "$default_toml" \
  >"$tmp/seed.toml"
if ! grep -q '^[[:space:]]*seed[[:space:]]*=[[:space:]]*987654321' "$tmp/seed.toml"; then
  not_ok "another seed gives a different result.json" "could not set [simulation] seed in a copy"
else
  run_citsim seed run "$tmp/seed.toml" -o "$tmp/seed"
  if [ "$status" -ne 0 ]; then
    not_ok "another seed gives a different result.json" \
      "exit status $status; stderr: $(excerpt "$tmp/seed.err")"
  elif [ ! -s "$tmp/seed/result.json" ] || [ ! -s "$tmp/good/result.json" ]; then
    not_ok "another seed gives a different result.json" "a result.json is missing"
  elif cmp -s "$tmp/good/result.json" "$tmp/seed/result.json"; then
    not_ok "another seed gives a different result.json" "identical bytes"
  else
    ok "another seed gives a different result.json"
    # The simulated areas, not only the echoed seed, must change.
    if python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["areas"] != b["areas"] else 1)' "$tmp/good/result.json" "$tmp/seed/result.json" \
      2>/dev/null; then
      ok "another seed changes the simulated areas"
    else
      not_ok "another seed changes the simulated areas" "areas identical; the seed is not used"
    fi
  fi
fi

# ---------------------------------------------------------------------------------------------
# Bad input: exit 2, one "citsim: error:" message naming file (and line) and key, no crash,
# no result.json and no report.html.
# ---------------------------------------------------------------------------------------------
base="$tmp/base.toml"
cat >"$base" <<'EOF'
# A small valid scenario; each bad case below changes one thing in a copy.
[patient]
age_years = 40
fitzpatrick = 3
sex = "female"

[[area]]
region = "cheek"
area_cm2 = 30
concerns = [{ kind = "atrophic_acne_scar", severity = 2 }]

[device]
kind = "pen"
model = "pen-12"
needle_length_mm = 1.0

[technique]
passes = 3
pattern = "crosshatch"
pressure = "moderate"

[protocol]
sessions = 2
interval_days = 28
follow_up_days = 90
EOF

run_citsim base run "$base" -o "$tmp/base_out"
check "the base scenario of the bad cases runs (exit 0, result.json)" \
  "exit status $status; stderr: $(excerpt "$tmp/base.err")" \
  test "$status" -eq 0 -a -s "$tmp/base_out/result.json"

# voxel3d_scenario NAME PASSES PATCH_MM VOXEL_UM: writes $tmp/NAME.toml, the base scenario
# with one session of PASSES passes at 0.75 mm and a niacinamide serum on a voxel3d patch.
voxel3d_scenario() {
  sed -e 's/^needle_length_mm = 1.0/needle_length_mm = 0.75/' -e "s/^passes = 3/passes = $2/" \
    -e 's/^sessions = 2/sessions = 1/' -e 's/^follow_up_days = 90/follow_up_days = 7/' \
    "$base" >"$tmp/$1.toml"
  printf '\n[topical]\nproduct = "niacinamide"\ndose_mg_cm2 = 2.0\nexposure_h = 1\n' >>"$tmp/$1.toml"
  printf '\n[simulation]\ntransport = "voxel3d"\nvoxel_patch_mm = %s\nvoxel_um = %s\n' "$3" "$4" \
    >>"$tmp/$1.toml"
}

# Threads: a voxel3d run writes the same bytes on 1 and 2 threads. Its 0.2 mm patch at 10 um
# is 20 x 20 x 90 voxels, above the kernels' threshold for threads; 10 passes put channels in it.
voxel3d_scenario threads 10 0.2 10
threads_before=${OMP_NUM_THREADS-unset}
for threads in 1 2; do
  export OMP_NUM_THREADS=$threads
  run_citsim "threads$threads" run "$tmp/threads.toml" -o "$tmp/threads$threads"
  check "voxel3d run on $threads thread(s) exits 0" \
    "exit status $status; stderr: $(excerpt "$tmp/threads$threads.err")" test "$status" -eq 0
done
if [ "$threads_before" = unset ]; then
  unset OMP_NUM_THREADS
else
  export OMP_NUM_THREADS=$threads_before
fi
for f in fields.h5 timeline.csv result.json; do
  reason=$(cmp "$tmp/threads1/$f" "$tmp/threads2/$f" 2>&1 | head -n 1 | sed "s|$tmp/||g")
  check "voxel3d on 1 and 2 threads: byte-identical $f" "$reason" \
    cmp -s "$tmp/threads1/$f" "$tmp/threads2/$f"
done
# Channels in the patch, so that the comparison covers the lumen voxels too.
check "the threads scenario has channels in its voxel3d patch (enhancement above 1.1)" \
  "$(grep -o '"enhancement_ratio": [0-9.e+-]*' "$tmp/threads1/result.json" | head -n 1)" \
  python3 -c 'import json, sys
session = json.load(open(sys.argv[1]))["areas"][0]["sessions"][0]
sys.exit(0 if session["enhancement_ratio"] > 1.1 else 1)' "$tmp/threads1/result.json"

# A voxel3d patch too small for the channel density holds none: the run says so, with the side
# that would hold one, and still succeeds.
voxel3d_scenario empty_patch 1 0.1 20
run_citsim empty_patch run "$tmp/empty_patch.toml" -o "$tmp/empty_patch"
check "a voxel3d patch without channels: exit 0 and a warning naming voxel_patch_mm" \
  "exit status $status; stderr: $(excerpt "$tmp/empty_patch.err")" \
  sh -c '[ "$1" -eq 0 ] && grep -q "$2" "$3"' _ "$status" \
  "no channel falls in the voxel3d patch.*simulation.voxel_patch_mm of [0-9.]* or more" \
  "$tmp/empty_patch.err"

# mutate NAME SED-EXPRESSION: writes $tmp/NAME.toml, the base with one change; fails if the
# expression changed nothing.
mutate() {
  sed "$2" "$base" >"$tmp/$1.toml" && ! cmp -s "$base" "$tmp/$1.toml"
}

# slug TEXT: TEXT with everything but letters, digits, '-' and '_' turned into '_'.
slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9_-' '_'; }

# line_of FILE PATTERN: the number of the first line of FILE matching PATTERN.
line_of() { grep -n -m 1 -e "$2" "$1" | cut -d: -f1; }

# The subcommand the bad cases run (the planner's cases below set it to plan).
bad_command=run

# expect_bad NAME FILE LINE PATTERN...: runs FILE, expects exit 2, a short "citsim: error:"
# message that holds FILE (as "FILE:LINE" when LINE is not empty) and each extended regex
# PATTERN, no crash, no result.json and no report.html.
expect_bad() {
  local name=$1 file=$2 line=$3
  shift 3
  local id
  id=$(slug "$name")
  local out="$tmp/out_$id" err="$tmp/bad_$id.err" problems=() pattern
  ${limit[@]+"${limit[@]}"} "$citsim" "$bad_command" "$file" -o "$out" >"$tmp/bad_$id.out" 2>"$err"
  local code=$?
  [ "$code" -eq 2 ] || problems+=("exit status $code, expected 2")
  head -n 1 "$err" | grep -q '^citsim: error: ' || problems+=("stderr does not start with 'citsim: error:'")
  [ "$(wc -l <"$err")" -le 3 ] || problems+=("stderr has $(wc -l <"$err") lines")
  if grep -q -i -E 'terminate called|aborted|stack ?trace|segmentation fault|core dumped|internal error|^#[0-9]+ +0x' "$err"; then
    problems+=("crash or internal error")
  fi
  if [ -n "$line" ]; then
    grep -q -F -e "$file:$line" "$err" || problems+=("does not name '$(basename "$file"):$line'")
  else
    grep -q -F -e "$file" "$err" || problems+=("does not name '$(basename "$file")'")
  fi
  for pattern in "$@"; do
    grep -q -E -e "$pattern" "$err" || problems+=("no /$pattern/")
  done
  [ ! -e "$out/result.json" ] || problems+=("wrote result.json")
  [ ! -e "$out/report.html" ] || problems+=("wrote report.html")
  if [ ${#problems[@]} -eq 0 ]; then
    ok "bad input: $name"
  else
    local joined
    joined=$(printf '%s; ' "${problems[@]}")
    not_ok "bad input: $name" "${joined%; } (stderr: $(excerpt "$err"))"
  fi
}

# bad_case NAME SED-EXPRESSION LINE-PATTERN MESSAGE-PATTERN...
bad_case() {
  local name=$1 expression=$2 line_pattern=$3
  shift 3
  local file
  file="$tmp/bad_$(slug "$name").toml"
  if ! mutate "$(basename "$file" .toml)" "$expression"; then
    not_ok "bad input: $name" "test setup: '$expression' changed nothing in the base scenario"
    return
  fi
  expect_bad "$name" "$file" "$(line_of "$file" "$line_pattern")" "$@"
}

# (a) a scenario file that does not exist
expect_bad "missing scenario file" "$tmp/no_such_scenario.toml" "" "no_such_scenario\.toml"
# (b) TOML syntax error
bad_case "TOML syntax error" 's/^age_years = 40$/age_years = = 40/' '^age_years = = 40' \
  '[Ss]yntax|[Pp]ars'
# (c) wrong type
bad_case "wrong type needle_length_mm = \"long\"" \
  's/^needle_length_mm = 1.0$/needle_length_mm = "long"/' '^needle_length_mm' \
  'needle_length_mm' 'number'
# (d) out of range
bad_case "needle_length_mm = 30 out of range" \
  's/^needle_length_mm = 1.0$/needle_length_mm = 30/' '^needle_length_mm' \
  'needle_length_mm' '30'
# (e) passes = 0
bad_case "passes = 0" 's/^passes = 3$/passes = 0/' '^passes' 'passes' '1'
# (f) fitzpatrick = 9
bad_case "fitzpatrick = 9" 's/^fitzpatrick = 3$/fitzpatrick = 9/' '^fitzpatrick' \
  'fitzpatrick' '9' '6'
# (g) unknown region, with a suggestion
bad_case "unknown region cheeck" 's/^region = "cheek"$/region = "cheeck"/' '^region' \
  'region' 'cheeck' "did you mean[^a-z]{0,3}cheek[^a-z]"
# (h) unknown key in [device], with a suggestion
bad_case "unknown key needle_lenght_mm in [device]" \
  's/^needle_length_mm = 1.0$/needle_lenght_mm = 1.0/' '^needle_lenght_mm' \
  'needle_lenght_mm' "did you mean[^a-z]{0,3}needle_length_mm"
# (i) unknown device model
bad_case "unknown device model" 's/^model = "pen-12"$/model = "pen-999"/' '^model' \
  'model' 'pen-999'
# (j) severity outside the concern's scale (Goodman-Baron grade 1 to 4)
bad_case "severity 9 outside atrophic_acne_scar scale" 's/severity = 2 }/severity = 9 }/' \
  'severity = 9' 'severity' 'atrophic_acne_scar' '9'
# (k) unknown topical product
{ cat "$base"; printf '\n[topical]\nproduct = "unicorn_serum"\n'; } >"$tmp/bad_topical.toml"
expect_bad "unknown topical product" "$tmp/bad_topical.toml" \
  "$(line_of "$tmp/bad_topical.toml" '^product')" 'product' 'unicorn_serum'

# ---------------------------------------------------------------------------------------------
# citsim plan: the bundled patient, an absolute contraindication, and bad patient files.
# ---------------------------------------------------------------------------------------------
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get("command") == "run" else 1)' \
  "$tmp/good/result.json" 2>/dev/null
check "run's result.json says command run" "no \"command\": \"run\"" test $? -eq 0

patient_toml="$src/examples/patient.toml"
run_citsim plan plan "$patient_toml" -o "$tmp/plan"
check "plan examples/patient.toml exits 0 and writes report.html and result.json" \
  "exit status $status; stderr: $(excerpt "$tmp/plan.err")" \
  test "$status" -eq 0 -a -s "$tmp/plan/result.json" -a -s "$tmp/plan/report.html"

plan_report=$(python3 - "$tmp/plan/result.json" 2>&1 <<'EOF2'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception as error:
    print(f"unreadable: {error}")
    sys.exit(0)
problems = []
if doc.get("command") != "plan": problems.append("command is not plan")
if doc.get("candidate") is not True: problems.append("candidate is not true")
for key in ("reasons", "screening", "constraints", "areas", "sources", "scenario"):
    if key not in doc: problems.append("no " + key)
if doc.get("constraints") != {"max_sessions": 4, "max_downtime_days": 7.0}:
    problems.append(f"constraints {doc.get('constraints')}")
flags = {s["flag"]: s for s in doc.get("screening", [])}
if not flags.get("anticoagulants", {}).get("present"): problems.append("anticoagulants not present")
for area in doc.get("areas", []):
    name = area.get("region")
    for key in ("plan", "alternatives", "precautions", "care", "sessions", "timeline", "outcomes",
                "max_safe_needle_length_mm"):
        if key not in area: problems.append(f"{name}: no {key}")
    plan = area.get("plan", {})
    if len(plan.get("needle_length_mm", [])) != plan.get("sessions"):
        problems.append(f"{name}: needle lengths do not match sessions")
    if plan.get("sessions", 99) > 4: problems.append(f"{name}: more sessions than allowed")
    if plan.get("downtime_days_max", 99) > 7: problems.append(f"{name}: more downtime than allowed")
    if max(plan.get("needle_length_mm", [99])) > area.get("max_safe_needle_length_mm", 0):
        problems.append(f"{name}: deeper than the safe cap")
    if len(area.get("sessions", [])) != plan.get("sessions"):
        problems.append(f"{name}: simulated sessions differ from the plan")
    for alternative in area.get("alternatives", []):
        if not alternative.get("why_not"): problems.append(f"{name}: alternative without why_not")
        if alternative.get("score", 99) > plan.get("score", -99):
            problems.append(f"{name}: an alternative scores above the plan")
    if not area.get("care", {}).get("post"): problems.append(f"{name}: no post-care")
print("; ".join(problems))
EOF2
)
check "plan result.json: candidate, screening, plan, alternatives, care, simulated sessions" \
  "$plan_report" test -z "$plan_report"

run_citsim plan_again plan "$patient_toml" -o "$tmp/plan_again"
check "plan: the same patient file gives byte-identical result.json" "files differ" \
  cmp -s "$tmp/plan/result.json" "$tmp/plan_again/result.json"

sed 's/^history = \["anticoagulants"\]/history = ["isotretinoin_6mo"]/' "$patient_toml" \
  >"$tmp/absolute.toml"
run_citsim absolute plan "$tmp/absolute.toml" -o "$tmp/absolute"
absolute_report=$(python3 - "$tmp/absolute/result.json" 2>&1 <<'EOF2'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception as error:
    print(f"unreadable: {error}")
    sys.exit(0)
problems = []
if doc.get("candidate") is not False: problems.append("candidate is not false")
if not any("Isotretinoin" in r for r in doc.get("reasons", [])): problems.append("no reason")
for area in doc.get("areas", []):
    if area.get("candidate") is not False: problems.append("an area is a candidate")
    if "plan" in area or "sessions" in area: problems.append("an area has a plan")
print("; ".join(problems))
EOF2
)
check "plan: an absolute contraindication exits 0 with candidate false and the reason" \
  "exit status $status; $absolute_report" test "$status" -eq 0 -a -z "$absolute_report"

{ cat "$base"; printf '\n[constraints]\nmax_sessions = 3\n'; } >"$tmp/bad_run_constraints.toml"
expect_bad "run: [constraints] belongs to citsim plan" "$tmp/bad_run_constraints.toml" \
  "$(line_of "$tmp/bad_run_constraints.toml" '^\[constraints\]')" 'constraints' 'citsim plan'

bad_command=plan
patient_base="$tmp/patient_base.toml"
cat >"$patient_base" <<'EOF2'
[patient]
age_years = 40
fitzpatrick = 2
history = []

[[area]]
region = "cheek"
area_cm2 = 30
concerns = [{ kind = "atrophic_acne_scar", severity = 2 }]

[constraints]
max_sessions = 3
EOF2
# plan_bad NAME SED-EXPRESSION LINE-PATTERN MESSAGE-PATTERN...: the patient base with one change.
plan_bad() {
  local name=$1 expression=$2 line_pattern=$3 file
  shift 3
  file="$tmp/plan_bad_$(slug "$name").toml"
  sed "$expression" "$patient_base" >"$file"
  if cmp -s "$patient_base" "$file"; then
    not_ok "bad input: $name" "test setup: '$expression' changed nothing"
    return
  fi
  expect_bad "$name" "$file" "$(line_of "$file" "$line_pattern")" "$@"
}
plan_bad "plan: max_sessions = 0" 's/^max_sessions = 3$/max_sessions = 0/' '^max_sessions' \
  'max_sessions' '0'
plan_bad "plan: hair_loss on the lips" \
  's/^region = "cheek"$/region = "perioral"/; s/kind = "atrophic_acne_scar", severity = 2/kind = "hair_loss", severity = 120/' \
  'hair_loss' 'hair_loss' 'scalp'
plan_bad "plan: unknown history flag" 's/^history = \[\]$/history = ["isotretinoin"]/' \
  '^history' 'history' 'isotretinoin_6mo'
plan_bad "plan: no area" '/^\[\[area\]\]$/,/^concerns/d' '' 'area'
{ cat "$patient_base"; printf '\n[device]\nkind = "pen"\nmodel = "pen-12"\n'; } \
  >"$tmp/plan_bad_device.toml"
expect_bad "plan: a [device] table in a patient file" "$tmp/plan_bad_device.toml" \
  "$(line_of "$tmp/plan_bad_device.toml" '^\[device\]')" 'device' 'citsim run'
{ cat "$patient_base"; printf '\n[simulation]\ntransport = "voxel3d"\n'; } \
  >"$tmp/plan_bad_voxel3d.toml"
expect_bad "plan: voxel3d transport in a patient file" "$tmp/plan_bad_voxel3d.toml" "" \
  'simulation.transport' 'voxel3d' 'citsim run'
bad_command=run

run_citsim plan_help plan --help
check "plan --help exits 0 and explains screening, constraints and outputs" \
  "exit status $status" test "$status" -eq 0 -a -n "$(grep -w contraindications "$tmp/plan_help.out")" \
  -a -n "$(grep -w max_sessions "$tmp/plan_help.out")" -a -n "$(grep -w report.html "$tmp/plan_help.out")"

# ---------------------------------------------------------------------------------------------
# Help, version and the catalogues.
# ---------------------------------------------------------------------------------------------
run_citsim help --help
missing_words=""
for word in run list validate; do
  grep -q -w "$word" "$tmp/help.out" || missing_words="$missing_words $word"
done
check "--help exits 0 and mentions run, list, validate" \
  "exit status $status; missing:$missing_words" test "$status" -eq 0 -a -z "$missing_words"

run_citsim version --version
check "--version exits 0 and prints 'citsim '" \
  "exit status $status; printed: $(excerpt "$tmp/version.out")" \
  test "$status" -eq 0 -a -n "$(grep '^citsim ' "$tmp/version.out")"
# The hash is read at build time: taken when CMake configured, it named an older commit after
# the next one.
if head=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null); then
  check "--version names the commit the source tree is at ($head)" \
    "printed: $(excerpt "$tmp/version.out")" grep -q "($head" "$tmp/version.out"
fi

for pair in regions:cheek devices:roller-192 molecules:minoxidil concerns:melasma \
  contraindications:isotretinoin_6mo; do
  what=${pair%%:*}
  word=${pair#*:}
  run_citsim "list_$what" list "$what"
  check "list $what exits 0 and shows $word" \
    "exit status $status; stderr: $(excerpt "$tmp/list_$what.err")" \
    test "$status" -eq 0 -a -n "$(grep -w -e "$word" "$tmp/list_$what.out")"
done

run_citsim list_bogus list bogus
check "list bogus exits 2" "exit status $status" test "$status" -eq 2

run_citsim no_subcommand
check "no subcommand exits 2" "exit status $status" test "$status" -eq 2

# ---------------------------------------------------------------------------------------------
# Nothing was written into the source tree's inputs.
# ---------------------------------------------------------------------------------------------
written=$(find "$src/examples" "$src/data" -newer "$tmp/.started" -print 2>/dev/null | head -n 5)
check "examples/ and data/ untouched" "new or changed: $written" test -z "$written"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
