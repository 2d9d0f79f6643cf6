# mxsim.bash - bash completion for mxsim: commands, options, scenario
# files, result folders, and the keys of --set (from `mxsim help keys
# --names`, so it follows the schema; a named section's keys for the
# sections of that kind in the scenario files on the line).
_mxsim_set_keys()
{
	local secs
	secs=$(for w in "${COMP_WORDS[@]}"; do
		[[ $w == *.ini && -f $w && -r $w ]] &&
			sed -n 's/^[[:space:]]*\[\([a-z]*\)[[:space:]]\{1,\}\([^]]*[^][:space:]]\)[[:space:]]*\].*$/\1 \2/p' "$w"
	done | sort -u)
	awk 'NR == FNR { if (NF) sec[$1] = sec[$1] "\n" $0; next }
	     / NAME\./ { split($0, a, " NAME."); n = split(sec[a[1]], s, "\n")
			 for (i = 2; i <= n; i++) print s[i] "." a[2]; next }
	     { print }' <(printf '%s\n' "$secs") <(mxsim help keys --names 2>/dev/null)
}
_mxsim()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run check plot zone fit help --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--set|-s)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(_mxsim_set_keys | sed 's/$/=/')" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return ;;
	-o|--output) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-j|--jobs|-r|--replications|--seed|--at|--year|--domain) return ;;
	--format) COMPREPLY=($(compgen -W "postfix exim" -- "$cur")); return ;;
	--before|--after|--table) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	case $cmd in
	run) COMPREPLY=($(compgen -W "-o -j -r --seed --set --trace --sensitivity -q --help" -- "$cur") \
		$(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur")) ;;
	check) COMPREPLY=($(compgen -W "--set --help" -- "$cur") $(compgen -f -X '!*.ini' -- "$cur") \
		$(compgen -d -- "$cur")) ;;
	plot) COMPREPLY=($(compgen -d -- "$cur")) ;;
	zone) COMPREPLY=($(compgen -W "--before --after --at --offline --resolver --simulate --rate" -- "$cur") $(compgen -f -- "$cur")) ;;
	fit) COMPREPLY=($(compgen -W "--format --year --table --sizes --plot --domain" -- "$cur") $(compgen -f -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "keys metrics profiles assumptions" -- "$cur")) ;;
	esac
}
complete -F _mxsim mxsim
