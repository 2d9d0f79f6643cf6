# mxsim.bash - bash completion for mxsim: commands, options, scenario
# files, result folders, and the keys of --set (from `mxsim help keys
# --names`, so it follows the schema).
_mxsim()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run check plot help --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--set|-s)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(mxsim help keys --names 2>/dev/null | sed 's/$/=/')" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return ;;
	-o|--output) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-j|--jobs|-r|--replications|--seed) return ;;
	esac
	case $cmd in
	run) COMPREPLY=($(compgen -W "-o -j -r --seed --set --trace -q --help" -- "$cur") \
		$(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur")) ;;
	check) COMPREPLY=($(compgen -W "--set --help" -- "$cur") $(compgen -f -X '!*.ini' -- "$cur") \
		$(compgen -d -- "$cur")) ;;
	plot) COMPREPLY=($(compgen -d -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "keys metrics" -- "$cur")) ;;
	esac
}
complete -F _mxsim mxsim
