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
	-f) COMPREPLY=($(compgen -W "md html teaser email text eml telegram mastodon bluesky" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "human json github text tsv" -- "$cur")); return ;;
	--escape) COMPREPLY=($(compgen -W "html xml none" -- "$cur")); return ;;
	-o|--partials) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--lang) COMPREPLY=($(compgen -W "en zh" -- "$cur")); return ;;
	esac
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands -C --version --help" -- "$cur"))
		return
	fi
	case $cmd in
	build) COMPREPLY=($(compgen -W "--all -f -o --force --check --drafts --help" -- "$cur")) ;;
	check) COMPREPLY=($(compgen -W "--email --links --all --strict --format --fix --jobs --per-host --timeout --max-age --only-new --meta --wayback --help" -- "$cur")) ;;
	add) COMPREPLY=($(compgen -W "--section --timeout --help" -- "$cur")) ;;
	send) COMPREPLY=($(compgen -W "--to --help" -- "$cur")) ;;
	serve) COMPREPLY=($(compgen -W "--port --bind --drafts --help" -- "$cur")) ;;
	stats|links) COMPREPLY=($(compgen -W "--all --format --help" -- "$cur")) ;;
	init) COMPREPLY=($(compgen -W "--lang --help" -- "$cur") $(compgen -d -- "$cur")) ;;
	import) COMPREPLY=($(compgen -W "-n -o --date --force --help" -- "$cur") $(compgen -f -- "$cur")) ;;
	render) COMPREPLY=($(compgen -f -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	esac
}
complete -F _weekly weekly
