# What jobs/_launch.sh and deploy/submit-settings.sh (deploy/yarn/submit.sh,
# deploy/k8s/submit.sh) share about spark-submit, sourced by both (not run on its own):
#
# 1. spark-submit's own options, as Spark 3.5's SparkSubmitOptionParser lists them, so that a
#    user's --jars, --packages, --files, --conf, --principal, ... reach spark-submit, in either
#    form `--opt VALUE` or `--opt=VALUE`: take_submit_option collects them into SUBMIT_PASS
#    (always as `--opt VALUE`).
# 2. The layering of Spark settings. Spark reads the cluster's own spark-defaults.conf
#    ($SPARK_CONF_DIR, else $SPARK_HOME/conf) unless --properties-file names another file, which
#    then replaces it. So the launchers never pass --properties-file themselves: they leave the
#    cluster's file (or the user's own --properties-file) in force, and pass the project's
#    settings (conf/spark-defaults.conf, plus what a script computes) as --conf, layered on it:
#      - a setting the user gives (--conf KEY=VALUE, an option that sets it such as
#        --executor-memory or --driver-java-options, or a line of the user's own
#        --properties-file) wins: the project's value is left out, with a note when that
#        drops project items of a list-valued setting;
#      - list-valued settings (LIST_SEPARATOR below) in the cluster's file are merged: the
#        project's items are appended to the cluster's, each item once;
#      - a `need` of the project's file replaces the cluster's value;
#      - a `default` of the project's file is passed only where the cluster's file has none.
#    spark_layered_conf computes these --conf words into LAYERED_CONF.
# The caller defines usage_error (print a message naming the option, exit 2) before calling
# these functions, and sets ROOT (the project root).

# spark-submit's options that take a value, and its switches (Spark 3.5.9,
# org.apache.spark.launcher.SparkSubmitOptionParser; SparkSubmitOptionsTest keeps these lists
# equal to it).
SPARK_SUBMIT_VALUE_OPTIONS=(--archives --class --conf -c --deploy-mode --driver-class-path --driver-cores
  --driver-java-options --driver-library-path --driver-memory --executor-cores --executor-memory --files
  --jars --keytab --kill --master --remote --name --num-executors --packages --exclude-packages --principal
  --properties-file --proxy-user --py-files --queue --repositories --status --total-executor-cores)
SPARK_SUBMIT_SWITCHES=(--help -h --supervise --usage-error --verbose -v --version)
# Options the launchers never pass on: the main class is theirs, and the others are
# spark-submit actions that submit nothing (run $SPARK_HOME/bin/spark-submit for them).
SPARK_SUBMIT_REFUSED=(--class --kill --status --usage-error)

# The Spark setting each option sets (SparkSubmitArguments): a user's option wins over the
# project's --conf of the same setting.
declare -A SPARK_OPTION_SETTING=(
  [--archives]=spark.archives [--deploy-mode]=spark.submit.deployMode
  [--driver-class-path]=spark.driver.extraClassPath [--driver-cores]=spark.driver.cores
  [--driver-java-options]=spark.driver.extraJavaOptions [--driver-library-path]=spark.driver.extraLibraryPath
  [--driver-memory]=spark.driver.memory [--executor-cores]=spark.executor.cores
  [--executor-memory]=spark.executor.memory [--files]=spark.files [--jars]=spark.jars
  [--keytab]=spark.kerberos.keytab [--master]=spark.master [--name]=spark.app.name
  [--num-executors]=spark.executor.instances [--packages]=spark.jars.packages
  [--exclude-packages]=spark.jars.excludes [--principal]=spark.kerberos.principal
  [--py-files]=spark.submit.pyFiles [--queue]=spark.yarn.queue [--repositories]=spark.jars.repositories
  [--total-executor-cores]=spark.cores.max [--supervise]=spark.driver.supervise
)

# Settings whose value is a list, merged with the cluster's: the separator of their items.
declare -A LIST_SEPARATOR=(
  [spark.kryo.registrator]="," [spark.plugins]=","
  [spark.executor.extraJavaOptions]=" " [spark.driver.extraJavaOptions]=" "
)

# The spark-submit options the launchers pass on, wrapped for a launcher's --help.
spark_submit_options_help() {
  local o words=() flags=()
  for o in "${SPARK_SUBMIT_VALUE_OPTIONS[@]}"; do
    [[ " ${SPARK_SUBMIT_REFUSED[*]} " == *" $o "* || "$o" == -c ]] || words+=("$o")
  done
  for o in "${SPARK_SUBMIT_SWITCHES[@]}"; do
    [[ " ${SPARK_SUBMIT_REFUSED[*]} --help -h --version -v " == *" $o "* ]] || flags+=("$o")
  done
  printf '%s\n' "${words[*]/--conf/--conf (-c)}" | fold -s -w 88 | sed 's/ *$//; s/^/  /'
  printf '  and the flags %s\n' "${flags[*]/--verbose/--verbose (-v)}"
}

# Takes one spark-submit option from the front of "$@" into SUBMIT_PASS and sets TAKEN to the
# number of words it used (0: the first word is not one). --help, -h and --version are left to
# the caller (they are the job's or the script's own).
SUBMIT_PASS=()
take_submit_option() {
  local word="$1" name value=""
  TAKEN=0
  name="$word"
  if [[ "$word" == --*=* ]]; then name="${word%%=*}"; value="${word#*=}"; fi
  case " ${SPARK_SUBMIT_REFUSED[*]} " in
    *" $name "*)
      if [[ "$name" == --class ]]; then usage_error "$name: the main class is tasn.cli.TasnMain, set by this launcher"; fi
      usage_error "$name is a spark-submit action that submits no job: run \$SPARK_HOME/bin/spark-submit $name ... directly" ;;
  esac
  if [[ " ${SPARK_SUBMIT_VALUE_OPTIONS[*]} " == *" $name "* ]]; then
    if [[ "$word" == --*=* ]]; then
      TAKEN=1
    else
      [[ $# -ge 2 ]] || usage_error "$name needs a value"
      value="$2"; TAKEN=2
    fi
    [[ "$name" == -c ]] && name=--conf
    if [[ "$name" == --conf && "$value" != ?*=* ]]; then usage_error "$name $value: expected KEY=VALUE"; fi
    if [[ "$name" == --properties-file && ! -f "$value" ]]; then usage_error "--properties-file $value: no such file"; fi
    SUBMIT_PASS+=("$name" "$value")
  elif [[ "$word" != *=* && " --supervise --verbose -v " == *" $word "* ]]; then
    SUBMIT_PASS+=("$word"); TAKEN=1
  fi
}

# The Spark settings the words of "$@" (spark-submit options, as in SUBMIT_PASS) give, one
# `KEY` a line; and the --properties-file they name, in USER_PROPERTIES_FILE.
submit_settings_given() {
  USER_PROPERTIES_FILE=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --conf) echo "${2%%=*}"; shift 2 ;;
      --properties-file) USER_PROPERTIES_FILE="$2"; shift 2 ;;
      --supervise|--verbose|-v) [[ -n "${SPARK_OPTION_SETTING[$1]:-}" ]] && echo "${SPARK_OPTION_SETTING[$1]}"; shift ;;
      *) [[ -n "${SPARK_OPTION_SETTING[$1]:-}" ]] && echo "${SPARK_OPTION_SETTING[$1]}"; shift 2 ;;
    esac
  done
}

# Reads a properties file as Spark does (deploy/spark-properties.awk) into the associative
# array named $1 (KEY -> VALUE), and, with a 3rd argument, each key's layer into the array
# named $3 and the keys in file order into the array ORDERED_KEYS.
read_spark_properties() {
  local -n _rsp_into="$1"
  local _rsp_file="$2" _rsp_key _rsp_layer _rsp_value _rsp_records
  [[ -f "$_rsp_file" ]] || usage_error "$_rsp_file: no such file"
  _rsp_records="$(LC_ALL=C awk -v layers="${3:+1}" -f "$ROOT/deploy/spark-properties.awk" "$_rsp_file")" \
    || usage_error "$_rsp_file is not a properties file Spark can read (see the message above)"
  if [[ -n "${3:-}" ]]; then local -n _rsp_layers="$3"; fi
  ORDERED_KEYS=()
  while IFS=$'\037' read -r _rsp_key _rsp_layer _rsp_value; do
    [[ -n "$_rsp_key" ]] || continue
    [[ -v "_rsp_into[$_rsp_key]" ]] || ORDERED_KEYS+=("$_rsp_key")
    _rsp_into["$_rsp_key"]="$_rsp_value"
    if [[ -n "${3:-}" ]]; then _rsp_layers["$_rsp_key"]="$_rsp_layer"; fi
  done <<< "$_rsp_records"
}

# The value of KEY in the project's file $1 (empty if it has none).
project_setting() {
  local -A values=()
  read_spark_properties values "$1"
  echo "${values[$2]:-}"
}

# The cluster's defaults file, where spark-submit looks for it: $SPARK_CONF_DIR/spark-defaults.conf,
# else $SPARK_HOME/conf/spark-defaults.conf; nothing when there is none.
cluster_defaults_file() {
  local dir="${SPARK_CONF_DIR:-}"
  if [[ -z "$dir" && -n "${SPARK_HOME:-}" ]]; then dir="$SPARK_HOME/conf"; fi
  if [[ -n "$dir" && -f "$dir/spark-defaults.conf" ]]; then echo "$dir/spark-defaults.conf"; fi
}

# The list $1 with the items of $2 it does not hold yet appended, separated by $3 ("," or
# " "); $1 itself is kept as it is.
merge_list() {
  local merged="$1" separator="$3" item
  local -a have=() add=()
  if [[ "$separator" == "," ]]; then
    IFS=, read -r -a have <<< "$1"; IFS=, read -r -a add <<< "$2"
  else
    read -r -a have <<< "$1"; read -r -a add <<< "$2"
  fi
  local seen=" "
  for item in "${have[@]}"; do seen+="$(trim_words "$item") "; done
  for item in "${add[@]}"; do
    item="$(trim_words "$item")"
    [[ -n "$item" && "$seen" != *" $item "* ]] || continue
    seen+="$item "
    merged="${merged:+$merged$separator}$item"
  done
  echo "$merged"
}

trim_words() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; echo "${s%"${s##*[![:space:]]}"}"; }

# LAYERED_CONF: the --conf words of the project's settings, layered as the head of this file
# says, for a spark-submit run whose own options are the words of "$@" (all of them: the
# user's and the launcher's). The project's settings are the file PROJECT_CONF (default
# conf/spark-defaults.conf, with its #@layer lines) and PROJECT_OVERRIDES, an array of
# KEY=VALUE a launcher computes (sizes, JVM options), which replace the file's values and are
# needs.
spark_layered_conf() {
  local project_file="${PROJECT_CONF:-$ROOT/conf/spark-defaults.conf}"
  local -A project=() layer=() base=() given=()
  local -a keys=()
  local key value pair base_file base_is_users=""
  read_spark_properties project "$project_file" layer
  keys=("${ORDERED_KEYS[@]}")
  for pair in ${PROJECT_OVERRIDES[@]+"${PROJECT_OVERRIDES[@]}"}; do
    key="${pair%%=*}"
    [[ -v "project[$key]" ]] || keys+=("$key")
    project["$key"]="${pair#*=}"; layer["$key"]=need
  done
  while IFS= read -r key; do [[ -n "$key" ]] && given["$key"]=1; done < <(submit_settings_given "$@")
  submit_settings_given "$@" > /dev/null   # sets USER_PROPERTIES_FILE in this shell
  if [[ -n "$USER_PROPERTIES_FILE" ]]; then
    base_file="$USER_PROPERTIES_FILE"; base_is_users=1
  else
    base_file="$(cluster_defaults_file)"
  fi
  if [[ -n "$base_file" ]]; then read_spark_properties base "$base_file"; fi

  LAYERED_CONF=()
  for key in "${keys[@]}"; do
    value="${project[$key]}"
    if [[ -n "${given[$key]:-}" || ( -n "$base_is_users" && -v "base[$key]" ) ]]; then
      if [[ -n "${LIST_SEPARATOR[$key]:-}" ]]; then
        if (( ${#value} > 100 )); then value="${value:0:100}..."; fi
        echo "tasn: note: your value of $key replaces the project's ($value), and the cluster's; add their items to yours if the job needs them" >&2
      fi
      continue
    fi
    if [[ -v "base[$key]" ]]; then
      if [[ -n "${LIST_SEPARATOR[$key]:-}" ]]; then
        value="$(merge_list "${base[$key]}" "$value" "${LIST_SEPARATOR[$key]}")"
      elif [[ "${layer[$key]}" == default ]]; then
        continue
      fi
    fi
    LAYERED_CONF+=(--conf "$key=$value")
  done
}
