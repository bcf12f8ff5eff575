# shellcheck shell=bash
# Sourced by the other scripts: finds a JDK 25, installs what the build needs on a fresh
# machine of this kind (idempotently) and makes sure PostgreSQL and Redis answer.

tollgate_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

tollgate_log() { printf '[tollgate] %s\n' "$*" >&2; }

# Sets JAVA_HOME to a JDK 25: an existing JAVA_HOME if it is 25+, else one under /usr/lib/jvm.
tollgate_require_jdk25() {
    local candidate version
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
        if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    tollgate_log "No JDK 25 found (looked at JAVA_HOME and /usr/lib/jvm). Install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME."
    exit 1
}

# Installs Debian packages that are missing; does nothing when all are present.
tollgate_ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    tollgate_log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

tollgate_require_commands() {
    local cmd
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null 2>&1 || { tollgate_log "'$cmd' is required but not installed."; exit 1; }
    done
}

# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, as the test suite expects; started if down.
tollgate_ensure_services() {
    if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        tollgate_log "starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        tollgate_log "starting Redis"
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
            --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    fi
    local i
    for i in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0
        sleep 1
    done
    tollgate_log "PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) does not answer."
    exit 1
}
