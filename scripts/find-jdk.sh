# Sourced by ./airlock and ./run-tests: sets JAVA_HOME to a JDK 21 or newer, or exits with a message.
# Looks at JAVA_HOME first, then the usual system locations, newest first.

airlock_java_major() {
    # Prints the feature version of the java at $1/bin/java, or nothing.
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

airlock_find_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" \
        $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
                /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(airlock_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

if ! AIRLOCK_JDK=$(airlock_find_jdk); then
    echo "airlock: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman)." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
    exit 1
fi
export JAVA_HOME="$AIRLOCK_JDK"
