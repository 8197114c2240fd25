# Reads Java properties files the way Spark reads spark-defaults.conf and --properties-file
# (java.util.Properties.load, then each value trimmed), for deploy/spark-submit-common.sh.
#
#   LC_ALL=C awk -f deploy/spark-properties.awk [-v layers=1] FILE...
#
# Prints one record a setting, in file order (a key given twice: both, the last one wins):
#   KEY <US> LAYER <US> VALUE          (<US> is the byte 0x1f)
# Understood as Properties.load does: `key value`, `key=value`, `key: value`, leading blanks,
# comment lines starting with # or !, a line ending in an odd number of backslashes continued
# on the next line (its leading blanks dropped), and the escapes \t \n \r \f \uXXXX and \X
# (X itself) in keys and values. The file is read as bytes (LC_ALL=C): UTF-8 text passes
# through unchanged, \uXXXX is written as UTF-8.
# With layers=1 (the project's conf/spark-defaults.conf) a comment line `#@layer need` or
# `#@layer default` puts the settings after it in that layer; a setting before any such line is
# an error. Errors (a malformed \u escape, a line break or a 0x1f byte in a key or value, which
# could not be passed on as --conf) name the file and line, and exit with status 2.

BEGIN { US = "\037"; HEX = "0123456789abcdef"; failed = 0 }

FNR == 1 {
  if (NR > 1) finish_file()
  layer = ""; pending = ""; continued = 0
}

{
  line = $0
  sub(/\r$/, "", line)
  sub(/^[ \t\f]+/, "", line)
  if (!continued) {
    if (line == "") next
    first = substr(line, 1, 1)
    if (first == "#" || first == "!") {
      if (layers && line ~ /^#@layer([ \t]|$)/) {
        layer = line
        sub(/^#@layer[ \t]*/, "", layer)
        sub(/[ \t]+$/, "", layer)
        if (layer != "need" && layer != "default") fail("unknown layer '" layer "' (use #@layer need or #@layer default)")
      }
      next
    }
    start = FNR
  }
  # A line ending in an odd number of backslashes goes on on the next line.
  n = 0
  for (i = length(line); i > 0 && substr(line, i, 1) == "\\"; i--) n++
  if (n % 2 == 1) {
    pending = pending substr(line, 1, length(line) - 1)
    continued = 1
    next
  }
  setting(pending line)
  pending = ""; continued = 0
}

END {
  if (failed) exit failed
  if (NR > 0) finish_file()
  exit failed
}

# A file that ends in a continued line still holds its last setting.
function finish_file() {
  if (continued) setting(pending)
  pending = ""; continued = 0
}

# One logical line: the key ends at the first unescaped '=', ':' or blank; blanks and at most
# one '=' or ':' separate it from the value.
function setting(text,    len, i, c, key, value, separated) {
  len = length(text)
  separated = 0
  for (i = 1; i <= len; i++) {
    c = substr(text, i, 1)
    if (c == "\\") { i++; continue }
    if (c == "=" || c == ":") { separated = 1; break }
    if (c == " " || c == "\t" || c == "\f") break
  }
  key = substr(text, 1, i - 1)
  for (i++; i <= len; i++) {
    c = substr(text, i, 1)
    if (c == " " || c == "\t" || c == "\f") continue
    if (!separated && (c == "=" || c == ":")) { separated = 1; continue }
    break
  }
  value = substr(text, i)
  key = unescape(key)
  value = trim(unescape(value))
  if (layers && layer == "") fail(key ": no #@layer line before it (need or default)")
  if (index(key, "\n") || index(value, "\n")) fail(key ": a line break in the key or value cannot be passed on as --conf")
  if (index(key, US) || index(value, US)) fail(key ": the byte 0x1f in the key or value is not supported")
  printf "%s%s%s%s%s\n", key, US, layer, US, value
}

# Properties.load's escapes; \uXXXX becomes UTF-8 (a surrogate pair one character).
function unescape(s,    out, len, i, c, cp, low) {
  out = ""
  len = length(s)
  for (i = 1; i <= len; i++) {
    c = substr(s, i, 1)
    if (c != "\\") { out = out c; continue }
    if (i == len) break
    c = substr(s, ++i, 1)
    if (c == "u") {
      cp = hex4(substr(s, i + 1, 4))
      i += 4
      if (cp >= 55296 && cp <= 56319 && substr(s, i + 1, 2) == "\\u") {
        low = hex4(substr(s, i + 3, 4))
        if (low >= 56320 && low <= 57343) {
          cp = 65536 + (cp - 55296) * 1024 + (low - 56320)
          i += 6
        }
      }
      out = out utf8(cp)
    } else if (c == "t") out = out "\t"
    else if (c == "n") out = out "\n"
    else if (c == "r") out = out "\r"
    else if (c == "f") out = out "\f"
    else out = out c
  }
  return out
}

function hex4(h,    i, d, v) {
  if (length(h) != 4) fail("malformed \\uxxxx encoding")
  v = 0
  for (i = 1; i <= 4; i++) {
    d = index(HEX, tolower(substr(h, i, 1)))
    if (d == 0) fail("malformed \\uxxxx encoding: \\u" h)
    v = v * 16 + d - 1
  }
  return v
}

function utf8(cp) {
  if (cp < 128) return sprintf("%c", cp)
  if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
  if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
  return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}

# Spark trims each value as String.trim does: every character up to the blank.
function trim(s) {
  while (s != "" && substr(s, 1, 1) <= " ") s = substr(s, 2)
  while (s != "" && substr(s, length(s), 1) <= " ") s = substr(s, 1, length(s) - 1)
  return s
}

function fail(message) {
  printf "%s:%d: %s\n", FILENAME, (continued ? start : FNR), message > "/dev/stderr"
  failed = 2
  exit 2
}
