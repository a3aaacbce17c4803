# Sourced by bin/run-example and bin/ps-server: sets $classpath to the examples jar and every
# dependency (spark-ps and Spark included), building with Maven first when the sources are
# newer than the last build.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
examples="$root/spark-ps-examples/target"
jar=$(ls "$examples"/spark-ps-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e -all.jar | head -n 1 || true)
stale=$(find "$root/spark-ps/src/main" "$root/spark-ps-examples/src/main" "$root/pom.xml" \
  "$root/spark-ps/pom.xml" "$root/spark-ps-examples/pom.xml" -newer "$examples/run-classpath.txt" \
  -type f 2>/dev/null | head -n 1 || true)
if [[ -z $jar || ! -f $examples/run-classpath.txt || -n $stale ]]; then
  # package, not install: the classpath names spark-ps/target's jar, and nothing is written to
  # the local Maven repository that other checkouts build against.
  echo "Building spark-ps (mvn -DskipTests package -pl spark-ps-examples -am)..." >&2
  (cd "$root" && mvn -B -q -DskipTests package -pl spark-ps-examples -am) >&2
  # The classpath file keeps its old time when its content did not change.
  touch "$examples/run-classpath.txt"
  jar=$(ls "$examples"/spark-ps-examples-*.jar | grep -v -e sources -e javadoc -e -all.jar | head -n 1)
fi
classpath="$jar:$(cat "$examples/run-classpath.txt")"
