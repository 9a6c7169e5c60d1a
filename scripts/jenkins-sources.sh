#!/bin/bash
# Checks out the Jenkins sources of scripts/jenkins-sources.txt into DIR, one directory per line,
# from git repositories in CLONES (CLONES/<name>.git, CLONES/<name>, or a bare CLONES/<owner>+<name>/repo).
# Usage: scripts/jenkins-sources.sh CLONES DIR      (then: scripts/jenkins-compile-check.sh DIR)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 CLONES DIR" >&2; exit 2; }
clones=$1 out=$2
list="$(dirname "$0")/jenkins-sources.txt"
mkdir -p "$out"
missing=0
while read -r dir repo ref _; do
    case $dir in ''|'#'*) continue ;; esac
    name=${repo#*/}
    git_dir=
    for candidate in "$clones/$name.git" "$clones/$name/.git" "$clones/${repo%%/*}+$name/repo"; do
        if [ -d "$candidate" ]; then git_dir=$candidate; break; fi
    done
    if [ -z "$git_dir" ]; then
        echo "$list: $repo: no clone in $clones (git clone https://github.com/$repo $clones/$name)" >&2
        missing=1; continue
    fi
    commit=$(git --git-dir="$git_dir" rev-parse -q --verify "$ref^{commit}") || {
        echo "$list: $repo: $ref is not in $git_dir (git fetch --tags there)" >&2; missing=1; continue; }
    if [ "$(cat "$out/$dir/.commit" 2>/dev/null)" != "$commit" ]; then
        rm -rf "${out:?}/$dir" && mkdir -p "$out/$dir"
        git --git-dir="$git_dir" archive "$commit" | tar -x -C "$out/$dir"
        echo "$commit" > "$out/$dir/.commit"
    fi
    echo "$dir $repo $commit"
done < "$list"
exit $missing
