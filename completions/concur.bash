# bash completion for concur: commands, options, demo names, each demo's variants and the
# values of its choice options. Everything is read from the concur being completed, at
# completion time, so it follows the binary:
#   concur --help, concur CMD --help    the commands and each one's options
#   concur list --names                 "DEMO VARIANT" pairs: the demos and their variants
#   concur demo NAME --help             a demo's options; VALUE options end "...: a, b, c"
# Installed as share/bash-completion/completions/concur (loaded on demand by bash-completion).

# The concur being completed: the command as typed when it is a path to an executable
# (./build/release/concur), else the concur on PATH.
_concur_bin() {
  local bin=${COMP_WORDS[0]/#\~/$HOME}
  [[ $bin == */* && -x $bin ]] || bin=concur
  printf '%s\n' "$bin"
}

# The option names (-h, --help, ...) in the "Options:" section of the help on stdin.
_concur_options_of() {
  awk '/^Options:$/ {on = 1; next}
       on && /^$/ {exit}
       on && /^  -/ {n = split($1, names, ","); for (i = 1; i <= n; i++) print names[i]}'
}

# The type word (N, FILE, VALUE, ...) that option $1 takes in the help on stdin; empty for a
# flag. For VALUE, the values follow on the same line: "VALUE<TAB>a b c".
_concur_option_type() {
  awk -v opt="$1" '/^Options:$/ {on = 1; next}
       on && /^$/ {exit}
       on && /^  -/ {
         n = split($1, names, ",")
         for (i = 1; i <= n; i++) if (names[i] == opt) {
           if ($2 == "" || $2 == "Excludes:") exit
           if ($2 != "VALUE") { print $2; exit }
           values = $0; sub(/.*: /, "", values); gsub(/, /, " ", values)
           print "VALUE\t" values; exit
         }
       }'
}

# The demo names, in lecture order.
_concur_demos() {
  "$1" list --names 2>/dev/null | awk '$1 != last {print $1; last = $1}'
}

# The variants of demo $2.
_concur_variants() {
  "$1" list --names 2>/dev/null | awk -v demo="$2" '$1 == demo {print $2}'
}

# The commands, from the "Subcommands:" section of concur --help.
_concur_commands() {
  "$1" --help 2>/dev/null | awk '/^Subcommands:$/ {on = 1; next} on && /^$/ {exit} on {print $1}'
}

# Whether a word between the command and word $1 is not an option: a NAME already given.
_concur_has_name() {
  local i
  for ((i = 2; i < $1; i++)); do
    [[ ${COMP_WORDS[i]} == -* ]] || return 0
  done
  return 1
}

# Sets COMPREPLY to the words of $1 that start with $2.
_concur_reply() {
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$1" -- "$2"))
}

# The completion function: `complete -F _concur concur`.
_concur() {
  local cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local bin
  bin=$(_concur_bin)
  COMPREPLY=()
  # --option=value: bash splits it into "--option" "=" "value".
  if [[ $cur == "=" ]]; then
    cur=""
  elif [[ $prev == "=" && $cword -ge 2 ]]; then
    prev=${COMP_WORDS[cword - 2]}
  fi

  if ((cword == 1)); then
    if [[ $cur == -* ]]; then
      _concur_reply "$("$bin" --help 2>/dev/null | _concur_options_of)" "$cur"
    else
      _concur_reply "$(_concur_commands "$bin")"$'\n'"$(_concur_demos "$bin")" "$cur"
    fi
    return 0
  fi

  local cmd=${COMP_WORDS[1]} demo
  if [[ $cmd == -* ]]; then
    return 0  # concur --help, --version: nothing follows
  elif [[ $cmd == demo ]]; then
    if ((cword == 2)); then
      if [[ $cur == -* ]]; then
        _concur_reply "$("$bin" demo --help 2>/dev/null | _concur_options_of)" "$cur"
      else
        _concur_reply "$(_concur_demos "$bin")" "$cur"
      fi
      return 0
    fi
    demo=${COMP_WORDS[2]}
  elif grep -qxF -- "$cmd" <<<"$(_concur_commands "$bin")"; then
    # list, explain, source, check, bench: their options, and demo names where the command
    # takes NAME (one, or several when its usage says NAME...).
    local help type
    help=$("$bin" "$cmd" --help 2>/dev/null)
    type=$(_concur_option_type "$prev" <<<"$help")
    if [[ $cur == -* ]]; then
      _concur_reply "$(_concur_options_of <<<"$help")" "$cur"
    elif [[ $type == FILE ]]; then  # check --junit FILE
      compopt -o filenames 2>/dev/null
      local IFS=$'\n'
      COMPREPLY=($(compgen -f -- "$cur"))
    elif [[ -n $type ]]; then
      :  # a value: --seed N, --timeout S
    elif grep -q '^Usage:.*NAME\.\.\.' <<<"$help" ||
      { grep -q '^Usage:.*NAME' <<<"$help" && ! _concur_has_name "$cword"; }; then
      _concur_reply "$(_concur_demos "$bin")" "$cur"
    fi
    return 0
  else
    demo=$cmd  # concur NAME ... is concur demo NAME ...
  fi

  # A demo's options, and their values.
  local help type
  help=$("$bin" demo "$demo" --help 2>/dev/null)
  type=$(_concur_option_type "$prev" <<<"$help")
  case $prev:$type in
    -v:* | --variant:*) _concur_reply "$(_concur_variants "$bin" "$demo")" "$cur" ;;
    --color:*) _concur_reply $'auto\nalways\nnever' "$cur" ;;
    *:FILE)
      compopt -o filenames 2>/dev/null
      local IFS=$'\n'
      COMPREPLY=($(compgen -f -- "$cur"))
      ;;
    *:VALUE*) _concur_reply "$(tr ' ' '\n' <<<"${type#VALUE?}")" "$cur" ;;  # VALUE<TAB>a b c
    *:?*) ;;  # a number: --seed N, --time-scale F, --runs N
    *) _concur_reply "$(_concur_options_of <<<"$help")" "$cur" ;;
  esac
  return 0
}

complete -F _concur concur
