# Sourced by the one-JVM benchmarks (run from the repository's root): the dependency classpath of a module.
# bench_classpath OUT MODULE [SCOPE] prints it, resolved with Maven (offline) and kept in OUT/cp.txt until a pom changes;
# SCOPE "test" (the default) includes test dependencies (the test kit), "" the module's own scope.
# MAVEN_REPO picks another local repository than ~/.m2/repository.
bench_classpath() {
  local out=$1 module=$2 scope=${3-test}
  mkdir -p "$out"
  if [ ! -f "$out/cp.txt" ] || [ "$module/pom.xml" -nt "$out/cp.txt" ] || [ pom.xml -nt "$out/cp.txt" ]; then
    ./mvnw -B -q -o -Dmaven.repo.local="${MAVEN_REPO:-$HOME/.m2/repository}" -pl "$module" \
      dependency:build-classpath -Dmdep.outputFile="$(pwd)/$out/cp.txt" ${scope:+-Dmdep.includeScope=$scope}
  fi
  cat "$out/cp.txt"
}
