# bash completion for weekly
_weekly()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="build check add send render new stats import links where serve init help"
	local i cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	-C) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-f) COMPREPLY=($(compgen -W "md html teaser email text eml post telegram mastodon bluesky" -- "$cur")); return ;;
	--channel) COMPREPLY=($(compgen -W "telegram mastodon bluesky" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "human json github text tsv" -- "$cur")); return ;;
	--escape) COMPREPLY=($(compgen -W "html xml json none" -- "$cur")); return ;;
	-o|--partials) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--lang) COMPREPLY=($(compgen -W "en zh" -- "$cur")); return ;;
	esac
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands -C --version --help" -- "$cur"))
		return
	fi
	# a command's options, as its usage text lists them
	local opts
	opts="$("${COMP_WORDS[0]}" help "$cmd" 2>/dev/null | sed -n 's/^  \(-[-a-zA-Z]*\).*/\1/p') --help"
	case $cmd in
	init) COMPREPLY=($(compgen -W "$opts" -- "$cur") $(compgen -d -- "$cur")) ;;
	import|render) COMPREPLY=($(compgen -W "$opts" -- "$cur") $(compgen -f -- "$cur")) ;;
	help)
		if [ "$prev" = rules ]; then
			COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" help rules 2>/dev/null |
				sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands rules" -- "$cur"))
		fi ;;
	*) COMPREPLY=($(compgen -W "$opts" -- "$cur")) ;;
	esac
}
complete -F _weekly weekly
