#!/usr/bin/env bash
# Compiles the Jenkins plugin (plugin/src/main/java and plugin/src/test/java) with javac against the
# real Jenkins sources, and checks the tags and attributes of its Jelly views against the real tag
# libraries (scripts/jenkins-compile-check/JellyTagCheck.java), for machines that cannot reach the Jenkins Maven repository: the sources of
# scripts/jenkins-sources.txt on javac's source path (scripts/jenkins-sources.sh checks them out),
# third-party jars from Maven Central (scripts/jenkins-compile-check/pom.xml), the engine from core.
# Only diagnostics in the files compiled are kept: the Jenkins sources are read, never built.
#
# Before the plugin, the check checks itself: two published plugins of the list must compile
# (workflow-step-api, workflow-job) and pass the Jelly check (echarts-api, lockable-resources) with no
# error, and errors put into copies of our files must be caught.
#
# Usage: scripts/jenkins-compile-check.sh SOURCES_DIR      exit 0: no error; 1: errors; 2: cannot check
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: $0 SOURCES_DIR (see scripts/jenkins-sources.sh)" >&2; exit 2; }
sources=$(realpath "$1")
list=scripts/jenkins-sources.txt
start=$(date +%s)

missing=0
while read -r dir repo ref _; do
  case $dir in ''|'#'*) continue ;; esac
  [ -d "$sources/$dir" ] || { echo "$sources/$dir: missing ($repo $ref, $list)" >&2; missing=1; }
done < "$list"
[ $missing -eq 0 ] || { echo "run scripts/jenkins-sources.sh CLONES $sources first" >&2; exit 2; }

work=$(mktemp -d /tmp/nvmx-jenkins-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The engine (and its libraries) as the plugin uses them, and the third-party jars Jenkins brings.
mvn -B -ntp -q -pl core -am install -DskipTests >"$work/mvn.log" 2>&1 \
  || { cat "$work/mvn.log" >&2; echo "could not build the engine (core)" >&2; exit 2; }
mvn -B -ntp -q -pl core dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/engine.cp" >>"$work/mvn.log" 2>&1 \
  && mvn -B -ntp -q -f scripts/jenkins-compile-check/pom.xml dependency:build-classpath \
       -Dmdep.outputFile="$work/third-party.cp" >>"$work/mvn.log" 2>&1 \
  || { cat "$work/mvn.log" >&2; echo "could not resolve the jars of scripts/jenkins-compile-check/pom.xml" >&2; exit 2; }
# the engine's own copies of what library plugins provide are left out, as plugin/pom.xml does
engine_cp=$(tr ':' '\n' < "$work/engine.cp" | grep -v -E '/(com/fasterxml/jackson|edu/hm/hafner/echarts-build-trends|org/webjars/echarts|com/github/mwiede/jsch|net/java/dev/jna/jna)/' | paste -sd:)
classpath="$PWD/core/target/classes:$engine_cp:$(cat "$work/third-party.cp")"

# The localizer's Messages classes are generated at build time: compile-only stand-ins for them.
java scripts/jenkins-compile-check/MessagesStandIns.java "$work/messages" \
  $(find "$sources" -type d -path '*/src/main/resources' -not -path '*/src/it/*') plugin/src/main/resources
sourcepath="$work/messages"
while read -r d; do sourcepath="$sourcepath:$d"; done < <(find "$sources" -type d -path '*/src/main/java' \
  -not -path '*/src/it/*' -not -path '*/maven-example/*' -not -path '*/dgm-builder/*' -not -path '*/war/*' | sort)

# compile DIAGNOSTICS_FILE DIR... : javac on every .java file under the DIRs; prints the number of
# errors in those files (errors met while reading the Jenkins sources are not theirs and are dropped).
compile() {
  local out=$1; shift
  local files="$work/files.$$" classes
  find "$@" -name '*.java' > "$files"
  classes=$(mktemp -d "$work/classes.XXXXXX")
  javac --release 17 -proc:none -implicit:none -encoding UTF-8 -Xmaxerrs 100000 -Xmaxwarns 100000 -Xlint:none -Xlint:removal \
    -XDshould-stop.ifError=FLOW -d "$classes" -sourcepath "$sourcepath" -cp "$classpath" "@$files" \
    > "$work/javac.log" 2>&1 || true
  # a diagnostic is "FILE:LINE: error: ..." and the lines under it; keep those of the compiled files
  awk -v files="$files" '
    BEGIN { while ((getline f < files) > 0) ours[f] = 1 }
    /^[^ ].*\.java:[0-9]+: (error|warning): / { path = $0; sub(/:[0-9]+: .*/, "", path); keep = (path in ours) }
    /^[0-9]+ (errors?|warnings?)$/ { keep = 0; next }
    keep { print }' "$work/javac.log" > "$out"
  grep -c -E '^[^ ].*\.java:[0-9]+: error: ' "$out" || true
}

failed=0
for reference in ${NVMX_CHECK_REFERENCES:-workflow-step-api workflow-job}; do
  errors=$(compile "$work/$reference.txt" "$sources/$reference/src/main/java")
  echo "check of the check: $reference ($(cat "$sources/$reference/.commit" 2>/dev/null || echo "?")): $errors errors"
  if [ "$errors" != 0 ]; then cat "$work/$reference.txt"; failed=1; fi
done
mkdir -p "$work/injected" && cp -r plugin/src/main/java "$work/injected/"
victim=$(grep -rl 'extends Builder' "$work/injected" | head -n 1)
sed -i '0,/^}/s//    void injected() { hudson.model.Run.noSuchMethodInJenkins(); }\n}/' "$victim"
errors=$(compile "$work/injected.txt" "$work/injected")
if grep -q 'noSuchMethodInJenkins' "$work/injected.txt"; then
  echo "check of the check: an error put into ${victim#"$work/injected/java/"} is caught"
else
  echo "check of the check: the error put into $victim was NOT caught ($errors errors):" >&2
  cat "$work/injected.txt" >&2; failed=1
fi

# jelly DIAGNOSTICS_FILE DIR... : the Jelly check on every .jelly file under the DIRs; prints the number of errors
jelly() {
  local out=$1; shift
  java scripts/jenkins-compile-check/JellyTagCheck.java "$sources" $(find "$@" -name '*.jelly') > "$out"
  tail -n 1 "$out" | cut -d' ' -f1
}
for reference in echarts-api lockable-resources; do
  errors=$(jelly "$work/$reference-jelly.txt" "$sources/$reference/src/main/resources")
  echo "check of the check: the views of $reference: $errors Jelly errors"
  if [ "$errors" != 0 ]; then cat "$work/$reference-jelly.txt"; failed=1; fi
done
cp -r plugin/src/main/resources "$work/injected/"
view=$(grep -rl 'xmlns:f="/lib/form"' "$work/injected/resources" | head -n 1)
sed -i '0,/<f:entry /s//<f:noSuchTag\/><f:entry noSuchAttribute="x" /' "$view"
errors=$(jelly "$work/injected-jelly.txt" "$work/injected/resources")
if [ "$(grep -c -E 'noSuchTag|noSuchAttribute' "$work/injected-jelly.txt")" = 2 ]; then
  echo "check of the check: a wrong tag and a wrong attribute put into ${view#"$work/injected/resources/"} are caught"
else
  echo "check of the check: the errors put into $view were NOT both caught:" >&2
  cat "$work/injected-jelly.txt" >&2; failed=1
fi
[ $failed -eq 0 ] || { echo "the compile check cannot be trusted on $sources: see above" >&2; exit 2; }

errors=$(compile "$work/plugin.txt" plugin/src/main/java plugin/src/test/java)
cat "$work/plugin.txt"
# the engine as it runs inside Jenkins: on the library plugins' Jackson, echarts-build-trends and JSch
engine_errors=$(compile "$work/engine.txt" core/src/main/java)
cat "$work/engine.txt"
jelly_errors=$(jelly "$work/plugin-jelly.txt" plugin/src/main/resources)
grep ': error: ' "$work/plugin-jelly.txt" || true
removals=$(cat "$work/plugin.txt" "$work/engine.txt" | grep -c ': warning: \[removal\]' || true)
echo "jenkins compile check: plugin/src/main/java and plugin/src/test/java against $sources: $errors errors;" \
  "its Jelly views: $jelly_errors errors; the engine (core/src/main/java) on the libraries Jenkins gives it:" \
  "$engine_errors errors; uses of APIs marked for removal: $removals ($(( $(date +%s) - start )) s)"
[ "$errors" = 0 ] && [ "$jelly_errors" = 0 ] && [ "$engine_errors" = 0 ]
